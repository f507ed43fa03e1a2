// STOMP 1.2 "SUBSCRIBE ack Header", "ACK", "NACK", and queues with competing consumers.
import { frame, RawClient } from '../raw-client';
import { useBroker } from '../harness';

const t = useBroker();

async function subscribed(c: RawClient, headers: Record<string, string>): Promise<void> {
  c.send(frame('SUBSCRIBE', { ...headers, receipt: 'sub' }));
  expect((await c.next()).headers['receipt-id']).toBe('sub');
}
const bodies = (frames: { body: Buffer }[]) => frames.map((f) => f.body.toString());

describe('Queues', () => {
  beforeEach(() => t.start());

  it('holds messages until a subscriber exists, then delivers them in order', async () => {
    const sender = await t.connect();
    for (const n of [1, 2, 3]) sender.send(frame('SEND', { destination: '/queue/jobs' }, `m${n}`));
    await sender.sync();
    expect(t.broker.metrics.framesIn).toBeGreaterThan(0);
    const a = await t.connect();
    a.send(frame('SUBSCRIBE', { id: 'a', destination: '/queue/jobs' }));
    expect(bodies([await a.next(), await a.next(), await a.next()])).toEqual(['m1', 'm2', 'm3']);
  });

  it('shares messages among competing consumers, round robin', async () => {
    const a = await t.connect();
    const b = await t.connect();
    await subscribed(a, { id: 'a', destination: '/queue/rr' });
    await subscribed(b, { id: 'b', destination: '/queue/rr' });
    const sender = await t.connect();
    for (const n of [1, 2, 3, 4]) sender.send(frame('SEND', { destination: '/queue/rr' }, `m${n}`));
    await sender.sync();
    const toA = bodies(await a.sync());
    const toB = bodies(await b.sync());
    expect(toA).toHaveLength(2);
    expect(toB).toHaveLength(2);
    expect([...toA, ...toB].sort()).toEqual(['m1', 'm2', 'm3', 'm4']);
  });
});

describe('ACK and NACK', () => {
  beforeEach(() => t.start());

  it('client-individual: NACK redelivers with redelivered:true; ACK settles', async () => {
    const a = await t.connect();
    await subscribed(a, { id: 's', destination: '/queue/n', ack: 'client-individual' });
    a.send(frame('SEND', { destination: '/queue/n' }, 'job'));
    const first = await a.next();
    expect(first.headers.ack).toMatch(/.+/);
    expect(first.headers.redelivered).toBeUndefined();
    a.send(frame('NACK', { id: first.headers.ack! }));
    const again = await a.next();
    expect(again.body.toString()).toBe('job');
    expect(again.headers.redelivered).toBe('true');
    expect(again.headers['message-id']).toBe(first.headers['message-id']);
    a.send(frame('ACK', { id: again.headers.ack!, receipt: 'acked' }));
    expect((await a.next()).headers['receipt-id']).toBe('acked');
    a.close();
    const b = await t.connect();
    b.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/n' }));
    expect(await b.sync()).toEqual([]); // nothing left to redeliver
  });

  it('client-individual: an ACK settles only the message it names', async () => {
    const a = await t.connect();
    await subscribed(a, { id: 's', destination: '/queue/ind', ack: 'client-individual' });
    for (const n of [1, 2, 3]) a.send(frame('SEND', { destination: '/queue/ind' }, `m${n}`));
    const got = [await a.next(), await a.next(), await a.next()];
    a.send(frame('ACK', { id: got[1]!.headers.ack! }));
    await a.sync();
    a.close();
    await a.closed;
    const b = await t.connect();
    b.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/ind' }));
    expect(bodies([await b.next(), await b.next()])).toEqual(['m1', 'm3']);
  });

  it('client: an ACK is cumulative', async () => {
    const a = await t.connect();
    await subscribed(a, { id: 's', destination: '/queue/c', ack: 'client' });
    for (const n of [1, 2, 3]) a.send(frame('SEND', { destination: '/queue/c' }, `m${n}`));
    const got = [await a.next(), await a.next(), await a.next()];
    a.send(frame('ACK', { id: got[1]!.headers.ack! })); // settles m1 and m2
    await a.sync();
    a.close();
    await a.closed;
    const b = await t.connect();
    b.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/c' }));
    const left = await b.next();
    expect(left.body.toString()).toBe('m3');
    expect(left.headers.redelivered).toBe('true');
    expect(await b.sync()).toEqual([]);
  });

  it('client: a NACK is cumulative too, and redelivers in order', async () => {
    const a = await t.connect();
    await subscribed(a, { id: 's', destination: '/queue/cn', ack: 'client' });
    for (const n of [1, 2]) a.send(frame('SEND', { destination: '/queue/cn' }, `m${n}`));
    const got = [await a.next(), await a.next()];
    a.send(frame('NACK', { id: got[1]!.headers.ack! }));
    const again = [await a.next(), await a.next()];
    expect(again.map((m) => [m.body.toString(), m.headers.redelivered])).toEqual([
      ['m1', 'true'],
      ['m2', 'true'],
    ]);
  });

  it('redelivers unacknowledged messages to another consumer when a session disconnects', async () => {
    const a = await t.connect();
    await subscribed(a, { id: 's', destination: '/queue/d', ack: 'client' });
    const sender = await t.connect();
    sender.send(frame('SEND', { destination: '/queue/d' }, 'one'));
    sender.send(frame('SEND', { destination: '/queue/d' }, 'two'));
    await a.next();
    await a.next();
    a.close();
    await a.closed;
    const b = await t.connect();
    b.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/d' }));
    const redelivered = [await b.next(), await b.next()];
    expect(redelivered.map((m) => [m.body.toString(), m.headers.redelivered])).toEqual([
      ['one', 'true'],
      ['two', 'true'],
    ]);
  });

  it('1.1: acknowledges by message-id (and subscription), with no ack header on MESSAGE', async () => {
    const c = await t.open(['v11.stomp']);
    c.send(frame('CONNECT', { 'accept-version': '1.1', host: 'h' }));
    await c.next();
    await subscribed(c, { id: 's', destination: '/queue/v11', ack: 'client-individual' });
    c.send(frame('SEND', { destination: '/queue/v11' }, 'x'));
    const message = await c.next();
    expect(message.headers.ack).toBeUndefined();
    c.send(frame('NACK', { 'message-id': message.headers['message-id']!, subscription: 's' }));
    const again = await c.next();
    expect(again.headers.redelivered).toBe('true');
    c.send(frame('ACK', { 'message-id': again.headers['message-id']!, subscription: 's' }));
    expect(await c.sync()).toEqual([]);
  });

  it('refuses an ACK without its id header', async () => {
    const a = await t.connect();
    a.send(frame('ACK', { 'message-id': 'x' }));
    expect((await a.next()).body.toString()).toMatch(/^missing_header: ACK needs the id header/);
  });

  it('holds queue messages past the prefetch window until earlier ones are acknowledged', async () => {
    await t.broker.close();
    await t.start({ limits: { maxUnackedPerSubscription: 2 } });
    const a = await t.connect();
    await subscribed(a, { id: 's', destination: '/queue/p', ack: 'client-individual' });
    for (const n of [1, 2, 3]) a.send(frame('SEND', { destination: '/queue/p' }, `m${n}`));
    const first = await a.sync();
    expect(bodies(first)).toEqual(['m1', 'm2']);
    a.send(frame('ACK', { id: first[0]!.headers.ack! }));
    expect(bodies([await a.next()])).toEqual(['m3']);
  });
});
