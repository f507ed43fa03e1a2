import { randomUUID } from 'node:crypto';
import { Broker, RedisRelay } from '../src';
import { loginAuth } from './harness';
import { frame, RawClient } from './raw-client';

// Needs a real Redis: jest's global setup (test/global-setup.ts) brings one up through infra.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('two brokers joined by the Redis relay (real Redis)', () => {
  const channel = `stomp-relay-test:${randomUUID()}`;
  const brokers: Broker[] = [];
  const clients: RawClient[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const broker = new Broker({
        heartbeat: [0, 0],
        relay: new RedisRelay({ url: redisUrl, channel }),
        authenticate: loginAuth,
      });
      brokers.push(broker);
      urls.push((await broker.listen(0)).url);
    }
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(brokers.map((b) => b.close()));
  });

  const connect = async (node: number, login: string) => {
    const c = await RawClient.connectTo(urls[node]!, { login });
    clients.push(c);
    return c;
  };
  const subscribe = async (c: RawClient, destination: string) => {
    c.send(frame('SUBSCRIBE', { id: 's', destination, receipt: 'r' }));
    expect((await c.next()).headers['receipt-id']).toBe('r');
  };

  it("delivers topic messages to the other broker's subscribers, once each, text and binary", async () => {
    const onA = await connect(0, 'a');
    const onB = await connect(1, 'b');
    for (const c of [onA, onB]) await subscribe(c, '/topic/shared');
    onA.send(frame('SEND', { destination: '/topic/shared', 'x-from': 'a' }, 'hello from A'));
    const [atA, atB] = [await onA.next(), await onB.next()];
    expect(atA.body.toString()).toBe('hello from A');
    expect(atB.body.toString()).toBe('hello from A');
    expect(atB.headers['x-from']).toBe('a');
    expect(atB.headers.destination).toBe('/topic/shared');
    brokers[1]!.publish('/topic/shared', Buffer.from([0, 1, 0xff]));
    // Relayed in order: a duplicate of the first message would arrive before this one.
    for (const c of [onA, onB]) {
      const next = await c.next();
      expect(next.binary).toBe(true);
      expect([...next.body]).toEqual([0, 1, 0xff]);
    }
  });

  it('reaches every session of a user across brokers, and only theirs', async () => {
    const first = await connect(0, 'zoe');
    const second = await connect(1, 'zoe');
    const other = await connect(1, 'yan');
    for (const c of [first, second, other]) await subscribe(c, '/user/queue/notices');
    brokers[0]!.sendToUser('zoe', '/queue/notices', 'for zoe');
    for (const c of [first, second]) {
      const message = await c.next();
      expect(message.body.toString()).toBe('for zoe');
      expect(message.headers.destination).toBe('/user/queue/notices');
    }
    // A client's SEND to /user/{name}/… crosses brokers too.
    first.send(frame('SEND', { destination: '/user/yan/queue/notices' }, 'for yan'));
    expect((await other.next()).body.toString()).toBe('for yan');
  });

  it('keeps publishLocal on its own broker: the other broker never sees it', async () => {
    const onA = await connect(0, 'p');
    const onB = await connect(1, 'q');
    for (const c of [onA, onB]) await subscribe(c, '/topic/local');
    brokers[0]!.publishLocal('/topic/local', 'only on A');
    brokers[1]!.publishLocal('/topic/local', 'only on B');
    expect((await onA.next()).body.toString()).toBe('only on A');
    expect((await onB.next()).body.toString()).toBe('only on B');
    // A relayed copy would have arrived before this marker.
    brokers[0]!.publish('/topic/local', 'relayed');
    expect((await onA.next()).body.toString()).toBe('relayed');
    expect((await onB.next()).body.toString()).toBe('relayed');
    expect(() => brokers[0]!.publishLocal('/queue/x', 'no')).toThrow(TypeError);
  });

  it('drops what is published after close() instead of reporting a closed client', async () => {
    const errors: unknown[] = [];
    const relay = new RedisRelay({ url: redisUrl, channel, onError: (e) => errors.push(e) });
    await relay.start(() => undefined);
    await relay.close();
    relay.publish({
      origin: 'closing',
      kind: 'topic',
      destination: '/topic/shared',
      headers: [],
      body: 'bye',
      binary: false,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual([]);
  });
});
