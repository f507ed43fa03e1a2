// STOMP 1.2 "Connecting", "Protocol Negotiation", and STOMP over WebSocket subprotocols.
import { frame, RawClient } from '../raw-client';
import { useBroker } from '../harness';

const t = useBroker();

describe('CONNECT / STOMP and protocol negotiation', () => {
  beforeEach(() => t.start());

  it('answers CONNECTED with the highest common version, session and server', async () => {
    const c = await t.open();
    expect(c.protocol).toBe('v12.stomp');
    c.send(frame('CONNECT', { 'accept-version': '1.0,1.1,1.2', host: 'h' }));
    const connected = await c.next();
    expect(connected.command).toBe('CONNECTED');
    expect(connected.headers.version).toBe('1.2');
    expect(connected.headers.session).toMatch(/.+/);
    expect(connected.headers.server).toMatch(/^[^/]+\/.+/);
  });

  it.each([
    ['v12.stomp', ['v12.stomp', 'v11.stomp', 'v10.stomp']],
    ['v11.stomp', ['v11.stomp']],
    ['v10.stomp', ['v10.stomp']],
    ['', []],
  ])('serves subprotocol %j on the same endpoint', async (expected, offered) => {
    const c = await t.open(offered);
    expect(c.protocol).toBe(expected);
    c.send(frame('CONNECT', { 'accept-version': '1.1' }));
    expect((await c.next()).headers.version).toBe('1.1');
  });

  it('treats a CONNECT without accept-version as 1.0', async () => {
    const c = await t.open([]);
    c.send(frame('CONNECT'));
    expect((await c.next()).headers.version).toBe('1.0');
  });

  it('accepts the STOMP command like CONNECT', async () => {
    const c = await t.open(['v11.stomp']);
    c.send(frame('STOMP', { 'accept-version': '1.1', host: 'h' }));
    expect((await c.next()).headers.version).toBe('1.1');
  });

  it('picks the highest version both speak, whatever the order offered', async () => {
    const c = await t.open();
    c.send(frame('CONNECT', { 'accept-version': '1.1, 1.0, 2.0', host: 'h' }));
    expect((await c.next()).headers.version).toBe('1.1');
  });

  it('refuses when no version is common: ERROR with a version header, then close', async () => {
    const c = await t.open();
    c.send(frame('CONNECT', { 'accept-version': '2.0,3.1', host: 'h' }));
    const error = await c.next();
    expect(error.command).toBe('ERROR');
    expect(error.headers.version).toBe('1.2,1.1,1.0');
    expect(error.headers.message).toMatch(/versions/);
    expect(await c.closed).toBe(1002);
  });

  it('refuses any frame before CONNECT, and closes', async () => {
    const c = await t.open();
    c.send(frame('SEND', { destination: '/topic/a' }, 'x'));
    const error = await c.next();
    expect(error.body.toString()).toMatch(/^not_connected/);
    await c.closed;
  });

  it('refuses a second CONNECT', async () => {
    const c = await t.connect();
    c.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h' }));
    expect((await c.next()).body.toString()).toMatch(/^already_connected/);
    await c.closed;
  });

  it('refuses an unknown command', async () => {
    const c = await t.connect();
    c.send(frame('PUBLISH', { destination: '/topic/a' }));
    expect((await c.next()).body.toString()).toMatch(/^unknown_command/);
  });

  it('handles frames sent with CONNECT in one WebSocket message under the negotiated version', async () => {
    const c = await t.open();
    c.send(
      frame('CONNECT', { 'accept-version': '1.2', host: 'h' }) +
        frame('SUBSCRIBE', { id: 'a\\cb', destination: '/topic/c', receipt: 'r' }) +
        frame('SEND', { destination: '/topic/c' }, 'x'),
    );
    expect((await c.next()).command).toBe('CONNECTED');
    expect((await c.next()).headers['receipt-id']).toBe('r');
    // The subscription id was unescaped with 1.2's rules ('a:b') and is escaped again on MESSAGE.
    expect((await c.next()).headers.subscription).toBe('a\\cb');
  });

  it('closes a connection that sends no CONNECT in time', async () => {
    await t.broker.close();
    await t.start({ limits: { connectTimeoutMs: 100 } });
    const c = await t.open();
    expect((await c.next()).body.toString()).toMatch(/^not_connected/);
    await c.closed;
  });

  it('refuses WebSocket upgrades on other paths of its own server', async () => {
    await expect(RawClient.open(t.url.replace(/\/ws$/, '/other'))).rejects.toThrow();
  });
});
