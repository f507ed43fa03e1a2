import { randomUUID } from 'node:crypto';
import { endpoints } from '@echopulse/infra';
import { createClient, type RedisClientType } from 'redis';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../messages/chat-message';
import { RedisHistory } from './redis-history';

// Against the real Redis: the script decides what a record changes, atomically per channel.
describe('RedisHistory', () => {
  let redis: RedisClientType;
  const prefix = `test-${randomUUID()}:`;
  let history: RedisHistory;

  beforeAll(async () => {
    redis = createClient({ url: endpoints.redis.url });
    await redis.connect();
    history = new RedisHistory(redis, { prefix, size: 5, ttlSeconds: 60 });
  });

  afterAll(async () => {
    for (const key of await redis.keys(`${prefix}*`)) await redis.del(key);
    await redis.quit();
  });

  const message = (channelId: string, seq: number, extra: Partial<ChatMessage> = {}) =>
    ({
      id: String(1000 + seq),
      channelId,
      guildId: '1',
      seq,
      author: { id: 'u1', username: 'alice' },
      content: `m${seq}`,
      mentions: { users: [], everyone: false },
      createdAt: '2026-12-01T00:00:00.000Z',
      ...extra,
    }) satisfies ChatMessage;
  const created = (channelId: string, seq: number): ChatRecord => ({
    type: 'message.created',
    message: message(channelId, seq),
    nonce: `n-${seq}`,
  });

  it('adds each creation once, keeps the newest `size`, and refreshes the TTL', async () => {
    const records = [1, 2, 3, 2, 4, 5, 6, 7].map((seq) => created('10', seq));
    records.push(created('11', 1)); // another channel in the same batch
    expect(await history.apply(records)).toBe(8);
    expect((await history.range('10', 1, 100)).map((m) => m.seq)).toEqual([3, 4, 5, 6, 7]);
    expect((await history.latest('11', 10)).map((m) => m.seq)).toEqual([1]);
    expect(await redis.ttl(history.key('10'))).toBeGreaterThan(50);
    expect(await history.apply([created('10', 7)])).toBe(0); // a redelivery changes nothing
  });

  it('lets a later edit win over an earlier one, and a delete over everything', async () => {
    const edit = (content: string, editedAt: string): ChatRecord => ({
      type: 'message.updated',
      message: message('12', 1, { content, editedAt }),
    });
    const gone: ChatRecord = {
      type: 'message.deleted',
      message: message('12', 1, { content: '', deletedAt: '2026-12-01T00:00:09.000Z' }),
    };
    await history.apply([created('12', 1)]);
    expect(
      await history.apply([
        edit('second', '2026-12-01T00:00:02.000Z'),
        edit('first', '2026-12-01T00:00:01.000Z'),
      ]),
    ).toBe(1);
    expect((await history.range('12', 1, 1))[0]!.content).toBe('second');
    expect(await history.apply([gone, edit('late', '2026-12-01T00:00:10.000Z')])).toBe(1);
    expect((await history.range('12', 1, 1))[0]).toMatchObject({
      content: '',
      deletedAt: gone.message.deletedAt,
    });
  });

  it('loads the script again after Redis forgot it (SCRIPT FLUSH)', async () => {
    await redis.scriptFlush();
    expect(await history.apply([created('13', 1)])).toBe(1);
    expect((await history.latest('13', 10)).map((m) => m.seq)).toEqual([1]);
  });
});
