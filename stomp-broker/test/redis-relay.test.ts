import { randomUUID } from 'node:crypto';
import { endpoints } from '@echopulse/infra';
import { Broker, RedisRelay } from '../src';
import { frame, RawClient } from './raw-client';

describe('two brokers joined by the Redis relay (real Redis)', () => {
  const channel = `stomp-relay-test:${randomUUID()}`;
  const brokers: Broker[] = [];
  const clients: RawClient[] = [];
  let urls: string[];

  beforeAll(async () => {
    urls = [];
    for (let i = 0; i < 2; i++) {
      const broker = new Broker({
        heartbeat: [0, 0],
        relay: new RedisRelay({ url: endpoints.redis.url, channel }),
        authenticate: ({ frame: f }) => ({ name: f.headers.find(([n]) => n === 'login')![1] }),
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
    const c = await RawClient.connect(urls[node]!, { login });
    clients.push(c);
    return c;
  };

  it("delivers topic messages to the other broker's subscribers, once each", async () => {
    const onA = await connect(0, 'a');
    const onB = await connect(1, 'b');
    for (const c of [onA, onB]) {
      c.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/shared', receipt: 'r' }));
      await c.next();
    }
    onA.send(frame('SEND', { destination: '/topic/shared', 'x-from': 'a' }, 'hello from A'));
    const [atA, atB] = [await onA.next(), await onB.next()];
    expect(atA.body.toString()).toBe('hello from A');
    expect(atB.body.toString()).toBe('hello from A');
    expect(atB.headers['x-from']).toBe('a');
    const binary = Buffer.from([0, 1, 0xff]);
    brokers[1]!.publish('/topic/shared', binary);
    expect([...(await onA.next()).body]).toEqual([0, 1, 0xff]);
    expect([...(await onB.next()).body]).toEqual([0, 1, 0xff]);
    expect(await onA.quiet(200)).toBe(true);
    expect(await onB.quiet(0)).toBe(true);
  });

  it('reaches every session of a user across brokers', async () => {
    const first = await connect(0, 'zoe');
    const second = await connect(1, 'zoe');
    for (const c of [first, second]) {
      c.send(frame('SUBSCRIBE', { id: 'n', destination: '/user/queue/notices', receipt: 'r' }));
      await c.next();
    }
    brokers[0]!.sendToUser('zoe', '/queue/notices', 'for zoe');
    expect((await first.next()).body.toString()).toBe('for zoe');
    expect((await second.next()).body.toString()).toBe('for zoe');
  });
});
