import { randomBytes } from 'node:crypto';
import { endpoints } from '@echopulse/infra';
import {
  SERVER_EVENT_SOURCE,
  serverEvent,
  serverEventKey,
  type ServerEvent,
} from '@echopulse/guild-contracts';
import { createEnvelope } from '@echopulse/service-kit';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { AccessChangeListener } from '../access/access-changes';
import type { AccessChange } from '../access/channel-access';
import { pgClientConfig } from '../db/data-source';
import {
  channelSnapshot,
  dropSchema,
  eventually,
  guildCreated,
  migratedDataSource,
  projectionState,
  testDatabaseOptions,
  testLogger,
  testUser,
} from '../testing/projection-fixtures';
import {
  createProjection,
  ProjectionConsumer,
  Projector,
  rebuildProjection,
  SERVER_EVENTS_PARTITIONS,
  type HandledRecord,
  type Projection,
} from '.';

// End to end on the real Kafka and Postgres: server events produced as server-service's relay
// produces them (key = guild id, value = envelope JSON) to a topic of this run, consumed by the
// projection's consumer group into a schema of this run.

const run = randomBytes(4).toString('hex');
const topic = `chat-test.server-events.${run}`;
const config = {
  KAFKA_BROKERS: [...endpoints.kafka.brokers],
  KAFKA_CLIENT_ID: `chat-test-${run}`,
  KAFKA_GROUP_PREFIX: `chat-test-${run}.`,
  KAFKA_REPLICATION_FACTOR: 1,
  SERVER_EVENTS_TOPIC: topic,
};
const kafka = new Kafka({
  clientId: config.KAFKA_CLIENT_ID,
  brokers: config.KAFKA_BROKERS,
  logLevel: logLevel.NOTHING,
});
const db = testDatabaseOptions();
let source: DataSource;
let producer: Producer;
let listener: AccessChangeListener;
let projection: Projection;
const changes: AccessChange[] = [];
const handled: HandledRecord[] = [];
let onHandled: (() => void) | undefined;

/** Resolves once `count` records have been handled in all. */
function handledCount(count: number): Promise<void> {
  if (handled.length >= count) return Promise.resolve();
  return new Promise((resolve) => {
    onHandled = () => {
      if (handled.length >= count) resolve();
    };
  });
}

const send = (...events: (ServerEvent | { key: string; value: string })[]) =>
  producer.send({
    topic,
    acks: -1,
    messages: events.map((e) =>
      'key' in e ? e : { key: serverEventKey(e), value: JSON.stringify(e) },
    ),
  });

beforeAll(async () => {
  source = await migratedDataSource(db);
  listener = new AccessChangeListener({ pg: pgClientConfig(db), logger: testLogger() });
  listener.subscribe((change) => changes.push(change));
  await listener.start();
  projection = createProjection(config, source, testLogger(), {
    onRecord: (record) => {
      handled.push(record);
      onHandled?.();
    },
  });
  producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
});
afterAll(async () => {
  await projection?.stop();
  await producer?.disconnect();
  await listener?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin
    .deleteGroups([`${config.KAFKA_GROUP_PREFIX}projection`, `${config.KAFKA_GROUP_PREFIX}flaky`])
    .catch(() => undefined);
  await admin.disconnect();
  await dropSchema(source, db.schema);
  await source.destroy();
});

describe('projection consumer on the real Kafka', () => {
  const alice = testUser('alice');
  const bob = testUser('bob');
  const carol = testUser('carol');
  const a = guildCreated(alice, [bob]);
  const b = guildCreated(carol);
  const news = channelSnapshot(a.guildId, { name: 'news', position: 2, slowmodeSeconds: 5 });
  const newsCreated = serverEvent('channel.created', a.guildId, { channel: news });
  const kicked = serverEvent('member.kicked', a.guildId, { guildId: a.guildId, userId: bob.id });
  const unknownType = createEnvelope({
    type: 'guild.archived',
    source: SERVER_EVENT_SOURCE,
    subject: `guilds/${a.guildId}`,
    data: { guildId: a.guildId },
    dataschemaversion: 1,
  });
  const records = [
    a.event,
    b.event,
    newsCreated,
    { key: a.guildId, value: '{"not": "an envelope"' },
    { key: a.guildId, value: JSON.stringify(unknownType) },
    newsCreated, // a redelivery, as the relay's at-least-once may produce
    kicked,
  ];

  it('creates the topic when missing, then projects every record, skipping malformed ones', async () => {
    expect(projection.ready).toBe(false);
    await projection.start();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(SERVER_EVENTS_PARTITIONS);
    } finally {
      await admin.disconnect();
    }
    await send(...records);
    await handledCount(records.length);
    // Partitions interleave (b's guild may come first); a's records keep their order.
    const statuses = handled.map((h) =>
      typeof h.result === 'string' ? h.result : h.result.status,
    );
    expect(statuses.sort()).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'duplicate',
      'malformed',
      'malformed',
    ]);
    const byEvent = (id: string) => handled.filter((h) => h.event?.id === id);
    expect(byEvent(newsCreated.id).map((h) => (h.result as { status: string }).status)).toEqual([
      'applied',
      'duplicate',
    ]);
    expect(
      await source.query(`SELECT slowmode_seconds FROM channels WHERE id = $1`, [news.id]),
    ).toEqual([{ slowmode_seconds: 5 }]);
    expect(
      await source.query(`SELECT guild_id::text, user_id FROM members ORDER BY guild_id, user_id`),
    ).toEqual(
      [
        { guild_id: a.guildId, user_id: alice.id },
        { guild_id: b.guildId, user_id: carol.id },
      ].sort((x, y) => (x.guild_id + x.user_id).localeCompare(y.guild_id + y.user_id)),
    );
    // The kick's NOTIFY reaches the listener (it was sent at the projector's commit).
    await eventually(
      async () => changes.filter((c) => c.guildId === a.guildId),
      (list) => list.length > 0,
    );
    expect(changes.filter((c) => c.guildId === a.guildId)).toEqual([
      { guildId: a.guildId, userId: bob.id, cause: 'member.kicked' },
    ]);
    expect(projection.ready).toBe(true);
    // Offsets are committed after the applies: nothing left to consume.
    await eventually(
      () => projection.lag(),
      (lag) => lag === 0,
    );
  });

  it('rebuilds the same projection by replaying the topic with a fresh group', async () => {
    await projection.stop();
    expect(projection.ready).toBe(false);
    const before = await projectionState(source);
    expect(before.guilds).toHaveLength(2);
    // Damage the projection: a rebuild must not depend on what is there.
    await source.query(`DELETE FROM members`);
    await source.query(`UPDATE channels SET slowmode_seconds = 0`);
    const result = await rebuildProjection({
      dataSource: source,
      kafka: { clientId: config.KAFKA_CLIENT_ID, brokers: config.KAFKA_BROKERS },
      topic,
      groupPrefix: config.KAFKA_GROUP_PREFIX,
      logger: testLogger(),
      timeoutMs: 45_000,
    });
    expect(result).toMatchObject({ records: records.length, applied: 4, skipped: 3 });
    expect(await projectionState(source)).toEqual(before);
    // The rebuild's group is gone; the live group still has its offsets.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      expect(groups.map((g) => g.groupId)).not.toContain(result.groupId);
    } finally {
      await admin.disconnect();
    }
    expect(await projection.lag()).toBe(0);
  });

  it('resumes after its committed offsets on restart; a record the database refuses is skipped', async () => {
    handled.length = 0;
    await projection.start();
    // A constraint on new rows makes the next channel.created a data error (SQLSTATE 23514):
    // logged and skipped, not retried forever, and the record after it is applied.
    await source.query(
      `ALTER TABLE channels ADD CONSTRAINT test_no_topic CHECK (topic IS NULL) NOT VALID`,
    );
    try {
      const refused = serverEvent('channel.created', a.guildId, {
        channel: channelSnapshot(a.guildId, { name: 'refused', position: 3, topic: 'no' }),
      });
      const after = serverEvent('channel.created', a.guildId, {
        channel: channelSnapshot(a.guildId, { name: 'after', position: 4 }),
      });
      await send(refused, after);
      await handledCount(2);
    } finally {
      await source.query(`ALTER TABLE channels DROP CONSTRAINT test_no_topic`);
    }
    // Only the two new records: the earlier ones were committed before the restart.
    expect(handled.map((h) => [h.event?.data, h.result])).toEqual([
      [
        expect.objectContaining({ channel: expect.objectContaining({ name: 'refused' }) }),
        'rejected',
      ],
      [
        expect.objectContaining({ channel: expect.objectContaining({ name: 'after' }) }),
        expect.objectContaining({ status: 'applied' }),
      ],
    ]);
    expect(
      await source.query(`SELECT name FROM channels WHERE guild_id = $1 ORDER BY position`, [
        a.guildId,
      ]),
    ).toEqual([
      { name: 'Text Channels' },
      { name: 'general' },
      { name: 'news' },
      { name: 'after' },
    ]);
    await eventually(
      () => projection.lag(),
      (lag) => lag === 0,
    );
  });

  it('retries a record while the database is failing, rather than skipping it', async () => {
    // A projector whose first two applies fail as when Postgres is down (no SQLSTATE).
    const real = new Projector(source, testLogger());
    const calls: string[] = [];
    const flaky = {
      apply: async (event: ServerEvent) => {
        calls.push(event.id);
        if (calls.length <= 2) throw new Error('Connection terminated unexpectedly');
        return real.apply(event);
      },
    } as unknown as Projector;
    const seen: HandledRecord[] = [];
    let all!: () => void;
    const done = new Promise<void>((resolve) => (all = resolve));
    const total = records.length + 2; // the earlier tests' records and the two of the last one
    const consumer = new ProjectionConsumer({
      kafka: { clientId: config.KAFKA_CLIENT_ID, brokers: config.KAFKA_BROKERS },
      topic,
      groupId: `${config.KAFKA_GROUP_PREFIX}flaky`,
      partitions: SERVER_EVENTS_PARTITIONS,
      replicationFactor: 1,
      projector: flaky,
      logger: testLogger(),
      onRecord: (record) => {
        seen.push(record);
        if (seen.length === total) all();
      },
    });
    try {
      await consumer.start();
      await done;
    } finally {
      await consumer.stop();
    }
    // The records that failed were tried again (kafkajs may fetch another partition in between)
    // and handled; none went missing, none was skipped as refused.
    expect(calls.length).toBeGreaterThan(seen.filter((h) => h.event).length);
    for (const failed of calls.slice(0, 2)) {
      expect(seen.filter((h) => h.event?.id === failed).map((h) => h.result)).not.toContain(
        'rejected',
      );
      expect(seen.some((h) => h.event?.id === failed)).toBe(true);
    }
    expect(seen).toHaveLength(total);
    // (The record refused earlier applies now: the constraint that refused it is gone.)
    expect(seen.filter((h) => h.result === 'rejected')).toEqual([]);
  });
});
