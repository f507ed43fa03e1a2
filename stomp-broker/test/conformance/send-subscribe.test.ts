// STOMP 1.2 "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "MESSAGE".
import { frame, RawClient } from '../raw-client';
import { useBroker } from '../harness';

const t = useBroker();

async function subscribed(c: RawClient, headers: Record<string, string>): Promise<void> {
  c.send(frame('SUBSCRIBE', { ...headers, receipt: 'sub' }));
  expect((await c.next()).headers['receipt-id']).toBe('sub');
}

describe('SEND, SUBSCRIBE and MESSAGE on topics', () => {
  beforeEach(() => t.start());

  it('delivers to every subscriber with subscription, message-id and destination', async () => {
    const a = await t.connect();
    const b = await t.connect();
    await subscribed(a, { id: 's1', destination: '/topic/news' });
    await subscribed(b, { id: 's2', destination: '/topic/news' });
    const sender = await t.connect();
    sender.send(frame('SEND', { destination: '/topic/news' }, 'hi'));
    for (const [client, sub] of [
      [a, 's1'],
      [b, 's2'],
    ] as const) {
      const message = await client.next();
      expect(message.command).toBe('MESSAGE');
      expect(message.headers).toMatchObject({ subscription: sub, destination: '/topic/news' });
      expect(message.headers['message-id']).toMatch(/.+/);
      expect(message.headers.ack).toBeUndefined(); // auto mode needs no ack (spec 1.2 "MESSAGE")
      expect(message.body.toString()).toBe('hi');
    }
    expect(await sender.sync()).toEqual([]); // the sender did not subscribe
  });

  it('adds an ack header in 1.2 when the subscription needs acknowledgement', async () => {
    const a = await t.connect();
    await subscribed(a, { id: 'c', destination: '/topic/acked', ack: 'client' });
    await subscribed(a, { id: 'i', destination: '/topic/acked', ack: 'client-individual' });
    a.send(frame('SEND', { destination: '/topic/acked' }, 'x'));
    const messages = [await a.next(), await a.next()];
    expect(messages.map((m) => m.headers.subscription).sort()).toEqual(['c', 'i']);
    for (const m of messages) expect(m.headers.ack).toMatch(/.+/);
    expect(messages[0]!.headers.ack).not.toBe(messages[1]!.headers.ack);
  });

  it('stops delivering after UNSUBSCRIBE', async () => {
    const a = await t.connect();
    await subscribed(a, { id: 's', destination: '/topic/t' });
    a.send(frame('UNSUBSCRIBE', { id: 's', receipt: 'u' }));
    expect((await a.next()).headers['receipt-id']).toBe('u');
    a.send(frame('SEND', { destination: '/topic/t' }, 'x'));
    expect(await a.sync()).toEqual([]);
  });

  it('lets 1.0 subscribe without id and unsubscribe by destination', async () => {
    const c = await t.open([]);
    c.send(frame('CONNECT'));
    await c.next();
    await subscribed(c, { destination: '/topic/old' });
    c.send(frame('SEND', { destination: '/topic/old' }, 'x'));
    expect((await c.next()).headers.subscription).toBe('/topic/old');
    c.send(frame('UNSUBSCRIBE', { destination: '/topic/old' }));
    c.send(frame('SEND', { destination: '/topic/old' }, 'y'));
    expect(await c.sync()).toEqual([]);
  });

  it.each([
    ['SEND without destination', frame('SEND', {}, 'x'), /^missing_header/],
    [
      'SUBSCRIBE without id (1.2)',
      frame('SUBSCRIBE', { destination: '/topic/x' }),
      /^missing_header/,
    ],
    ['SUBSCRIBE without destination', frame('SUBSCRIBE', { id: 's' }), /^missing_header/],
    ['UNSUBSCRIBE without id', frame('UNSUBSCRIBE', {}), /^missing_header/],
    [
      'an unknown ack mode',
      frame('SUBSCRIBE', { id: 's', destination: '/topic/x', ack: 'never' }),
      /^invalid_header/,
    ],
    [
      'SEND to an unknown kind of destination',
      frame('SEND', { destination: '/nowhere' }),
      /^unknown_destination/,
    ],
    [
      'SUBSCRIBE to an application destination',
      frame('SUBSCRIBE', { id: 's', destination: '/app/x' }),
      /^unknown_destination/,
    ],
    [
      'SEND to an application destination without handler',
      frame('SEND', { destination: '/app/none' }),
      /^unknown_destination/,
    ],
    [
      'SUBSCRIBE to a user destination without a principal',
      frame('SUBSCRIBE', { id: 's', destination: '/user/queue/x' }),
      /^unauthenticated/,
    ],
  ])('refuses %s with ERROR, then closes', async (_name, wire, code) => {
    const a = await t.connect();
    a.send(wire);
    const error = await a.next();
    expect(error.command).toBe('ERROR');
    expect(error.body.toString()).toMatch(code);
    await a.closed;
  });

  it('refuses a subscription id already in use', async () => {
    const c = await t.connect();
    c.send(frame('SUBSCRIBE', { id: '1', destination: '/topic/x' }));
    c.send(frame('SUBSCRIBE', { id: '1', destination: '/topic/y' }));
    expect((await c.next()).body.toString()).toMatch(/^duplicate_subscription/);
  });
});
