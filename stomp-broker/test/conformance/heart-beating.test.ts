import { once } from 'node:events';
// STOMP 1.2 "Heart-beating".
import { frame } from '../raw-client';
import { useBroker } from '../harness';

const t = useBroker();

describe('Heart-beating', () => {
  it('negotiates max(sx, cy) and max(cx, sy) and advertises its own values', async () => {
    await t.start({ heartbeat: [100, 200] });
    const c = await t.connect({ 'heart-beat': '0,50' });
    expect(t.broker.sessions().next().value!).toMatchObject({ sendEvery: 100, expectEvery: 0 });
    void c;
  });

  it('sends EOL heart-beats to a quiet client', async () => {
    await t.start({ heartbeat: [60, 0] });
    const c = await t.open();
    c.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h', 'heart-beat': '0,60' }));
    expect((await c.next()).headers['heart-beat']).toBe('60,0');
    await c.heartbeatsReach(2);
    expect(c.messages.filter((m) => m.data.toString() === '\n').length).toBeGreaterThanOrEqual(2);
  });

  it('sends none when the client does not want them', async () => {
    await t.start({ heartbeat: [50, 0] });
    const c = await t.connect({ 'heart-beat': '0,0' });
    expect(t.broker.sessions().next().value!).toMatchObject({ sendEvery: 0, expectEvery: 0 });
    void c;
  });

  it('closes a connection whose peer went silent past the grace period', async () => {
    await t.start({ heartbeat: [0, 100], heartbeatGrace: 2 });
    const c = await t.open();
    c.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h', 'heart-beat': '100,0' }));
    expect((await c.next()).headers['heart-beat']).toBe('0,100');
    const started = Date.now();
    const gone = once(t.broker, 'disconnected');
    const error = await c.next();
    expect(error.body.toString()).toMatch(/^heartbeat_timeout/);
    await c.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await gone)[1]).toBe('heartbeat_timeout');
  });

  it('keeps a connection that sends EOL heart-beats', async () => {
    await t.start({ heartbeat: [0, 100], heartbeatGrace: 2 });
    const c = await t.connect({ 'heart-beat': '100,0' });
    const beating = setInterval(() => c.send('\n'), 40);
    // Time is what this test is about: live through several grace periods.
    await new Promise((r) => setTimeout(r, 600));
    clearInterval(beating);
    expect(c.isOpen).toBe(true);
    expect(await c.sync()).toEqual([]);
  });

  it('refuses a malformed heart-beat header', async () => {
    await t.start();
    const c = await t.open();
    c.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h', 'heart-beat': 'soon' }));
    expect((await c.next()).body.toString()).toMatch(/^invalid_header/);
  });
});
