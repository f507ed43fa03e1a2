import { serverEvent } from '@echopulse/guild-contracts';
import { endpoints } from '@echopulse/infra';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client as PgClient } from 'pg';
import { createClient, type RedisClientType } from 'redis';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../src/messages/chat-message';
import {
  guildCreated,
  newId,
  outcome,
  person,
  TestClient,
  TestService,
  until,
  type Person,
} from './support/harness';

// Deleting a channel or a guild (server.events) removes, asynchronously, everything chat-service
// kept of it: the archive, read states, sequence counter and nonces, pending records, the Redis
// history and every other Redis key naming the channel. Counted afterwards, table by table and
// key by key. A late chat.messages record of a deleted channel resurrects nothing.

describe('what is deleted stays deleted (purge of deleted channels and guilds)', () => {
  const t = new TestService({ RATE_LIMIT_MESSAGES: '1000', PURGE_INTERVAL_MS: '200' });
  let alice: Person, bob: Person;
  let pg: PgClient;
  let redis: RedisClientType;
  let producer: Producer;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    [alice, bob] = await Promise.all([person('alice'), person('bob')]);
    await t.start();
    pg = new PgClient({ ...endpoints.postgres, database: 'echopulse_chat_test' });
    await pg.connect();
    await pg.query(`SET search_path TO "${t.run}"`);
    redis = createClient({ url: t.config.REDIS_URL });
    await redis.connect();
    producer = new Kafka({
      brokers: [...endpoints.kafka.brokers],
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await producer?.disconnect();
    if (redis) {
      const keys = await redis.keys(`${t.config.REDIS_KEY_PREFIX}*`);
      if (keys.length) await redis.del(keys);
      await redis.quit();
    }
    await pg?.end();
    await t.stop();
  }, 60_000);

  const count = async (sql: string, params: unknown[]) =>
    Number((await pg.query<{ n: string }>(sql, params)).rows[0]!.n);

  /** Everything chat-service holds of a channel, by table and Redis key (the tombstone aside). */
  async function leftovers(channelId: string): Promise<Record<string, number>> {
    const byChannel = (table: string) =>
      count(`SELECT count(*) AS n FROM ${table} WHERE channel_id = $1`, [channelId]);
    const keys = (await redis.keys(`${t.config.REDIS_KEY_PREFIX}*`)).filter(
      (k) => k.includes(channelId) && !k.endsWith(`history-deleted:${channelId}`),
    );
    const ownerHints = await redis.hExists(
      `${t.config.REDIS_KEY_PREFIX}sequencer:owners`,
      channelId,
    );
    return {
      messages: await byChannel('messages'),
      read_states: await byChannel('read_states'),
      reactions: await byChannel('reactions'),
      channel_sequences: await byChannel('channel_sequences'),
      message_nonces: await byChannel('message_nonces'),
      purge_jobs: await byChannel('purge_jobs'),
      redisKeys: keys.length,
      ownerHints: Number(ownerHints),
    };
  }
  const nothing = {
    messages: 0,
    read_states: 0,
    reactions: 0,
    channel_sequences: 0,
    message_nonces: 0,
    purge_jobs: 0,
    redisKeys: 0,
    ownerHints: 0,
  };

  const client = async (p: Person) => {
    const c = await new TestClient(t.wsUrl, p.token).connect();
    clients.push(c);
    return c;
  };

  /** Waits for the RECEIPT of a frame; a refusal fails the test with its code and message. */
  async function accepted(c: TestClient, receipt: string) {
    const o = await outcome(c, receipt);
    if (!o.receipt)
      throw new Error(`refused: ${o.rejection?.headers.code} ${o.rejection?.headers.message}`);
    return o.receipt;
  }

  /** Sends `n` messages as alice and marks them read as alice and bob; waits until archived. */
  async function chat(channelId: string, n: number): Promise<void> {
    const a = await client(alice);
    const b = await client(bob);
    let seq = 0;
    for (let i = 0; i < n; i++) {
      const destination = `/app/channels/${channelId}/messages`;
      const receipt = await accepted(
        a,
        a.send(destination, { content: `m${i}`, nonce: `${channelId}-${i}` }),
      );
      seq = Number(receipt.headers.seq);
    }
    await accepted(b, b.send(`/app/channels/${channelId}/read`, { seq }));
    await accepted(a, a.send(`/app/channels/${channelId}/read`, { seq }));
    await until(
      async () =>
        (await count(`SELECT count(*) AS n FROM messages WHERE channel_id = $1`, [channelId])) ===
        n,
      20_000,
      `the archive of channel ${channelId}`,
    );
  }

  /** Alice and bob react with 👍 to the channel's first message (REST). */
  async function react(channelId: string): Promise<void> {
    const page = (await t.get(`/api/channels/${channelId}/messages`, alice.token)).body as {
      id: string;
    }[];
    for (const p of [alice, bob]) {
      const res = await fetch(
        `${t.url}/api/channels/${channelId}/messages/${page[0]!.id}/reactions/${encodeURIComponent('👍')}/@me`,
        { method: 'PUT', headers: { Authorization: `Bearer ${p.token}` } },
      );
      expect(res.status).toBe(204);
    }
  }

  async function projected(channelId: string): Promise<void> {
    await until(
      async () => (await t.get(`/api/channels/${channelId}/messages`, alice.token)).status === 200,
      30_000,
      `channel ${channelId} in the projection`,
    );
  }

  it('removes a deleted channel’s archive, read states, reactions, sequences, nonces and Redis keys, and nothing of the others', async () => {
    const doomed = newId();
    const kept = newId();
    const created = guildCreated(alice, [bob], [{ id: doomed, slowmodeSeconds: 60 }, { id: kept }]);
    const guildId = created.data.guild.id;
    await t.publish(created);
    await projected(doomed);
    await chat(doomed, 3);
    await chat(kept, 2);
    await react(doomed);
    await react(kept);
    // bob is no moderator: his message leaves a slowmode key of the channel in Redis.
    const b = await client(bob);
    await accepted(
      b,
      b.send(`/app/channels/${doomed}/messages`, { content: 'slow', nonce: `${doomed}-bob` }),
    );
    await until(
      async () =>
        (await count(`SELECT count(*) AS n FROM messages WHERE channel_id = $1`, [doomed])) === 4,
    );

    const before = await leftovers(doomed);
    expect(before).toMatchObject({
      messages: 4,
      read_states: 2,
      reactions: 2,
      channel_sequences: 1,
    });
    expect(before.message_nonces).toBe(4);
    expect(before.redisKeys).toBe(2); // the history and bob's slowmode key

    await t.publish(serverEvent('channel.deleted', guildId, { guildId, channelId: doomed }));
    await until(
      async () => JSON.stringify(await leftovers(doomed)) === JSON.stringify(nothing),
      // Well within the sequencer's 30 s idle release: the owner lets a deleted channel go at
      // once (its purge waits for the sequencing lock).
      15_000,
      'the deleted channel to be purged',
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}; left: ${JSON.stringify(await leftovers(doomed))}`);
    });
    // The tombstone that keeps the fan-out from writing the history again expires by itself.
    expect(
      await redis.ttl(`${t.config.REDIS_KEY_PREFIX}history-deleted:${doomed}`),
    ).toBeGreaterThan(0);

    const other = await leftovers(kept);
    expect(other).toMatchObject({
      messages: 2,
      read_states: 2,
      reactions: 2,
      channel_sequences: 1,
      purge_jobs: 0,
    });
    expect((await t.get(`/api/channels/${kept}/messages`, alice.token)).status).toBe(200);
  }, 120_000);

  it('lets a late chat.messages record of a deleted channel resurrect neither archive nor Redis history', async () => {
    const doomed = newId();
    const probe = newId();
    const created = guildCreated(alice, [bob], [{ id: doomed }, { id: probe }]);
    const guildId = created.data.guild.id;
    await t.publish(created);
    await projected(doomed);
    await chat(doomed, 1);
    await t.publish(serverEvent('channel.deleted', guildId, { guildId, channelId: doomed }));
    await until(
      async () => JSON.stringify(await leftovers(doomed)) === JSON.stringify(nothing),
      45_000,
      'the deleted channel to be purged',
    );

    // A record the sequencer produced just before the deletion, reaching the consumers late,
    // then one of a live channel on the same partition: once that one is archived and cached,
    // the late one was handled too (a partition is consumed in order).
    const record = (channelId: string, seq: number): ChatRecord => {
      const message: ChatMessage = {
        id: newId(),
        seq,
        channelId,
        guildId,
        author: { id: alice.id, username: 'alice' },
        content: 'late',
        mentions: { users: [], everyone: false },
        createdAt: new Date().toISOString(),
      };
      return { type: 'message.created', message, nonce: `late-${message.id}` };
    };
    await producer.send({
      topic: t.config.CHAT_MESSAGES_TOPIC,
      acks: -1,
      messages: [
        { key: doomed, partition: 0, value: JSON.stringify(record(doomed, 2)) },
        { key: probe, partition: 0, value: JSON.stringify(record(probe, 1)) },
      ],
    });
    await until(
      async () =>
        (await count(`SELECT count(*) AS n FROM messages WHERE channel_id = $1`, [probe])) === 1 &&
        (await redis.exists(`${t.config.REDIS_KEY_PREFIX}history:${probe}`)) === 1,
      20_000,
      'the probe record to be archived and cached',
    );
    expect(await leftovers(doomed)).toEqual(nothing);
  }, 120_000);

  it('removes every channel of a deleted guild', async () => {
    const first = newId();
    const second = newId();
    const created = guildCreated(alice, [bob], [{ id: first }, { id: second }]);
    const guildId = created.data.guild.id;
    await t.publish(created);
    await projected(first);
    await chat(first, 2);
    await chat(second, 2);
    expect((await leftovers(second)).messages).toBe(2);

    await t.publish(serverEvent('guild.deleted', guildId, { guildId }));
    for (const channelId of [first, second]) {
      await until(
        async () => JSON.stringify(await leftovers(channelId)) === JSON.stringify(nothing),
        45_000,
        `channel ${channelId} of the deleted guild to be purged`,
      ).catch(async (error: Error) => {
        throw new Error(`${error.message}; left: ${JSON.stringify(await leftovers(channelId))}`);
      });
    }
  }, 120_000);
});
