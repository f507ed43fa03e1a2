// Limits fail with stable codes; the slow-consumer policy (README "Limits and slow consumers").
import { Broker } from '../src';
import { loginAuth, useBroker } from './harness';
import { frame, RawClient } from './raw-client';

const t = useBroker();

describe('limits', () => {
  beforeEach(() =>
    t.start({
      authenticate: loginAuth,
      limits: {
        maxBodySize: 1024,
        maxHeaders: 4,
        maxHeaderLength: 100,
        maxSubscriptionsPerSession: 2,
        maxSessionsPerPrincipal: 1,
        maxTransactionsPerSession: 1,
        maxFramesPerTransaction: 1,
        maxQueuedMessages: 2,
      },
    }),
  );

  it.each([
    ['frame_too_large', [frame('SEND', { destination: '/topic/x' }, 'y'.repeat(2000))]],
    [
      'too_many_headers',
      [frame('SEND', { destination: '/topic/x', a: '1', b: '2', c: '3', d: '4' })],
    ],
    ['header_too_long', [frame('SEND', { destination: '/topic/x', a: 'z'.repeat(200) })]],
    [
      'too_many_subscriptions',
      ['1', '2', '3'].map((id) => frame('SUBSCRIBE', { id, destination: `/topic/${id}` })),
    ],
    [
      'too_many_transactions',
      [frame('BEGIN', { transaction: 'a' }), frame('BEGIN', { transaction: 'b' })],
    ],
    [
      'transaction_too_large',
      [
        frame('BEGIN', { transaction: 'a' }),
        ...[1, 2].map(() => frame('SEND', { destination: '/topic/x', transaction: 'a' })),
      ],
    ],
  ])('%s', async (code, frames) => {
    const c = await t.connect({ login: code });
    for (const f of frames) c.send(f);
    const error = await c.next();
    expect(error.command).toBe('ERROR');
    expect(error.body.toString()).toMatch(new RegExp(`^${code}: `));
    await c.closed;
  });

  it('too_many_sessions for one principal', async () => {
    await t.connect({ login: 'd' });
    const second = await t.open();
    second.send(frame('CONNECT', { 'accept-version': '1.2', login: 'd' }));
    expect((await second.next()).body.toString()).toMatch(/^too_many_sessions/);
  });

  it('drops the oldest queued message past maxQueuedMessages', async () => {
    const c = await t.connect({ login: 'q' });
    for (const n of [1, 2, 3]) c.send(frame('SEND', { destination: '/queue/full' }, `m${n}`));
    c.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/full' }));
    expect((await c.sync()).map((m) => m.body.toString())).toEqual(['m2', 'm3']);
    expect(t.broker.metrics.queueDrops).toBe(1);
  });
});

describe('slow consumers (in memory: the peer stops reading)', () => {
  let broker: Broker;
  afterEach(() => broker.close());

  it('drops topic messages for it (counted), then disconnects it; others get everything', async () => {
    broker = new Broker({
      heartbeat: [0, 0],
      limits: {
        slowConsumerDropBytes: 10_000,
        slowConsumerCloseBytes: 20_000,
        slowConsumerMaxDrops: 5,
      },
    });
    const slow = RawClient.memory(broker);
    const fast = RawClient.memory(broker);
    for (const c of [slow.client, fast.client]) {
      await c.connect();
      c.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/flood', receipt: 'r' }));
      await c.next();
    }
    slow.pause();
    const payload = 'z'.repeat(1000);
    for (let i = 0; i < 20; i++) {
      broker.publish('/topic/flood', payload);
      await new Promise((r) => setImmediate(r)); // the fast peer reads what it was sent
    }
    // 10 messages (~1.1 kB each) fill the slow one's buffer past 10,000 octets; 5 are dropped, then it is cut off.
    expect(broker.metrics.drops).toBe(5);
    expect(broker.metrics.slowConsumerDisconnects).toBe(1);
    const got = [];
    for (let i = 0; i < 20; i++) got.push(await fast.client.next());
    expect(got).toHaveLength(20);
    await slow.client.closed;
  });

  it('disconnects it past the second mark even for messages that are never dropped', async () => {
    broker = new Broker({
      heartbeat: [0, 0],
      limits: { slowConsumerDropBytes: 1000, slowConsumerCloseBytes: 5000 },
    });
    const slow = RawClient.memory(broker);
    await slow.client.connect({ login: 'x' });
    slow.client.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/work', receipt: 'r' }));
    await slow.client.next();
    slow.pause();
    for (let i = 0; i < 10; i++) broker.publish('/queue/work', 'q'.repeat(1000));
    expect(broker.metrics.drops).toBe(0);
    expect(broker.metrics.slowConsumerDisconnects).toBe(1);
    await slow.client.closed;
  });
});

describe('slow consumers (over a real socket)', () => {
  it('cuts off a socket that stops reading without stalling the others', async () => {
    await t.start({ limits: { slowConsumerDropBytes: 64 * 1024, slowConsumerMaxDrops: 100 } });
    const slow = await t.connect();
    const fast = await t.connect();
    for (const c of [slow, fast]) {
      c.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/flood', receipt: 'r' }));
      await c.next();
    }
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = 'z'.repeat(16 * 1024);
    let sent = 0;
    // Until the kernel's socket buffers fill and ws starts buffering, then the policy acts.
    while (t.broker.metrics.slowConsumerDisconnects === 0 && sent < 100_000) {
      t.broker.publish('/topic/flood', payload);
      if (++sent % 50 === 0) {
        await new Promise((r) => setImmediate(r));
        fast.frames.splice(0);
      }
    }
    expect(t.broker.metrics.drops).toBeGreaterThan(0);
    expect(t.broker.metrics.slowConsumerDisconnects).toBe(1);
    t.broker.publish('/topic/flood', 'last');
    let last;
    do last = await fast.next();
    while (last.body.toString() !== 'last');
    expect(fast.isOpen).toBe(true);
  });
});
