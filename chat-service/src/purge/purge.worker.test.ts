import { randomBytes } from 'node:crypto';
import { serverEvent } from '@echopulse/guild-contracts';
import { endpoints } from '@echopulse/infra';
import { createClient, type RedisClientType } from 'redis';
import type { DataSource } from 'typeorm';
import {
  dropSchema,
  guildCreated,
  migratedDataSource,
  snowflake,
  testDatabaseOptions,
  testLogger,
  testUser,
} from '../testing/projection-fixtures';
import { ArchiveRepository } from '../history/archive.repository';
import { RedisHistory } from '../history/redis-history';
import type { ChatRecord } from '../messages/chat-message';
import { Projector } from '../projection/projector';
import { PurgeRepository, RedisPurgeRepository } from './purge.repository';
import { PurgeWorker, type PurgeWorkerOptions } from './purge.worker';

// The purge worker in-process on the real Postgres and Redis, with a small batch: stopped after
// its first batch, a second worker finishes the job; running it again changes nothing; a
// replayed deletion (a projection rebuild) purges again harmlessly.

const db = testDatabaseOptions();
const prefix = `purge-${randomBytes(4).toString('hex')}:`;
let source: DataSource;
let redis: RedisClientType;
let projector: Projector;
let history: RedisHistory;

beforeAll(async () => {
  source = await migratedDataSource(db);
  redis = createClient({ url: endpoints.redis.url });
  await redis.connect();
  projector = new Projector(source, testLogger());
  history = new RedisHistory(redis, { prefix, size: 500, ttlSeconds: 600 });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(keys);
  await redis.quit();
  await dropSchema(source, db.schema);
  await source.destroy();
});

const worker = (options: Partial<PurgeWorkerOptions> = {}) =>
  new PurgeWorker(
    new PurgeRepository(source),
    new RedisPurgeRepository(redis, history, { prefix, tombstoneSeconds: 600 }),
    { batchSize: 10, intervalMs: 60_000, logger: testLogger(), ...options },
  );

const count = async (table: string, channelId: string) =>
  Number(
    (
      (await source.query(`SELECT count(*) AS n FROM ${table} WHERE channel_id = $1`, [
        channelId,
      ])) as { n: string }[]
    )[0]!.n,
  );

async function left(channelId: string) {
  return {
    messages: await count('messages', channelId),
    read_states: await count('read_states', channelId),
    channel_sequences: await count('channel_sequences', channelId),
    message_nonces: await count('message_nonces', channelId),
    purge_jobs: await count('purge_jobs', channelId),
    history: await redis.exists(history.key(channelId)),
    slowmode: (await redis.keys(`${prefix}slowmode:${channelId}:*`)).length,
    ownerHint: Number(await redis.hExists(`${prefix}sequencer:owners`, channelId)),
  };
}
const nothing = {
  messages: 0,
  read_states: 0,
  channel_sequences: 0,
  message_nonces: 0,
  purge_jobs: 0,
  history: 0,
  slowmode: 0,
  ownerHint: 0,
};

/** A guild whose #general holds `n` messages everywhere chat-service keeps them. */
async function seededChannel(n: number) {
  const alice = testUser('alice');
  const users = Array.from({ length: 15 }, (_, i) => testUser(`reader${i}`));
  const g = guildCreated(alice, users);
  await projector.apply(g.event);
  const channelId = g.general.id;
  const records: ChatRecord[] = Array.from({ length: n }, (_, i) => ({
    type: 'message.created',
    nonce: `n${i}`,
    message: {
      id: snowflake(),
      seq: i + 1,
      channelId,
      guildId: g.guildId,
      author: { id: alice.id, username: alice.username },
      content: `message ${i}`,
      mentions: { users: [], everyone: false },
      createdAt: new Date().toISOString(),
    },
  }));
  await new ArchiveRepository(source).apply(records);
  await history.apply(records);
  await source.query(
    `INSERT INTO channel_sequences (channel_id, last_seq, pending) VALUES ($1, $2, '[]')`,
    [channelId, n],
  );
  for (const r of records.slice(0, 3)) {
    await source.query(
      `INSERT INTO message_nonces (author_id, nonce, channel_id, message_id, seq, message)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        alice.id,
        r.type === 'message.created' ? r.nonce : '',
        channelId,
        r.message.id,
        r.message.seq,
        r.message,
      ],
    );
  }
  for (const u of users) {
    await source.query(
      `INSERT INTO read_states (user_id, channel_id, last_read_seq) VALUES ($1, $2, 1)`,
      [u.id, channelId],
    );
  }
  await redis.set(`${prefix}slowmode:${channelId}:${users[0]!.id}`, '1', { EX: 600 });
  await redis.hSet(`${prefix}sequencer:owners`, channelId, 'some-instance');
  return { ...g, channelId, alice };
}

describe('PurgeWorker', () => {
  it('finishes a purge interrupted after its first batch, and a second run changes nothing', async () => {
    const { guildId, channelId, alice } = await seededChannel(25);
    const kept = guildCreated(alice);
    await projector.apply(kept.event);
    await source.query(
      `INSERT INTO read_states (user_id, channel_id, last_read_seq) VALUES ($1, $2, 0)`,
      [alice.id, kept.general.id],
    );
    expect(await left(channelId)).toMatchObject({ messages: 25, read_states: 15, purge_jobs: 0 });

    await projector.apply(serverEvent('channel.deleted', guildId, { guildId, channelId }));
    expect(await count('purge_jobs', channelId)).toBe(1);

    // The first worker stops as soon as it has deleted one batch of the archive.
    const batches: number[] = [];
    const first = worker({
      onBatch: (_job, table, n) => {
        batches.push(n);
        if (table === 'messages' && batches.length === 1) void first.stop();
      },
    });
    expect(await first.runOnce()).toBe(0);
    expect(batches).toEqual([10]);
    expect(await left(channelId)).toMatchObject({
      messages: 15,
      read_states: 15,
      purge_jobs: 1,
      channel_sequences: 0,
      history: 0,
    });

    // Another worker (a restarted instance) finds the job and finishes it.
    const second = worker();
    expect(await second.runOnce()).toBe(1);
    expect(await left(channelId)).toEqual(nothing);
    expect(await redis.exists(history.tombstoneKey(channelId))).toBe(1);
    // Running again: nothing to do, nothing broken.
    expect(await second.runOnce()).toBe(0);
    expect(await left(channelId)).toEqual(nothing);
    // The other guild's channel is untouched.
    expect(await count('read_states', kept.general.id)).toBe(1);
  });

  it('purges again harmlessly when a deletion is replayed, and keeps late records out', async () => {
    const { event, guildId, channelId, alice } = await seededChannel(3);
    const g = { event };
    const deleted = serverEvent('guild.deleted', guildId, { guildId });
    await projector.apply(deleted);
    expect(await worker().runOnce()).toBe(2); // the category and #general
    expect(await left(channelId)).toEqual(nothing);

    // A late record of the deleted channel: neither the archive nor the history takes it.
    const late: ChatRecord = {
      type: 'message.created',
      nonce: 'late',
      message: {
        id: snowflake(),
        seq: 4,
        channelId,
        guildId,
        author: { id: alice.id, username: alice.username },
        content: 'late',
        mentions: { users: [], everyone: false },
        createdAt: new Date().toISOString(),
      },
    };
    await new ArchiveRepository(source).apply([late]);
    expect(await history.apply([late])).toBe(0);
    expect(await left(channelId)).toEqual(nothing);

    // A rebuild empties the projection and replays the guild's life: the deletion schedules a
    // purge again, which finds nothing left.
    await source.query(`TRUNCATE guilds, roles, channels, channel_overwrites, members,
      member_roles, bans, processed_events`);
    await projector.apply(g.event);
    await projector.apply(deleted);
    expect(await count('purge_jobs', channelId)).toBe(1);
    expect(await worker().runOnce()).toBe(2);
    expect(await left(channelId)).toEqual(nothing);
  });

  it('lets only one worker purge at a time', async () => {
    const a = new PurgeRepository(source);
    const unlock = await a.lock();
    expect(unlock).toBeDefined();
    expect(await new PurgeRepository(source).lock()).toBeUndefined();
    expect(await worker().runOnce()).toBe(0);
    await unlock!();
    const again = await a.lock();
    expect(again).toBeDefined();
    await again!();
  });
});
