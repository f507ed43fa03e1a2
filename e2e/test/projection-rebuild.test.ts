import { randomBytes } from 'node:crypto';
import {
  GUILD_SNAPSHOTS_TOPIC_CONFIG,
  parseServerEvent,
  type ServerEventType,
} from '@echopulse/guild-contracts';
import { endpoints } from '@echopulse/infra';
import { waitFor } from '@echopulse/infra/testing';
import { createLogger } from '@echopulse/service-kit';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  createProjection,
  dropSchema,
  migratedDataSource,
  projectionState,
  rebuildProjection,
  testDatabaseOptions,
  type HandledRecord,
  type Projection,
} from '@echopulse/chat-service/testing';
import {
  createGuild,
  grantRole,
  join,
  loginAll,
  OutboxRelay,
  pgClientConfig as serverPgConfig,
  startTestApp,
  type TestApp,
  type User,
} from '@echopulse/server-service/testing';

// The projection can be rebuilt although server.events keeps events only for a while: the real
// server-service (REST, outbox, relay) writes its events and, after each batch, the whole state
// of their guilds to a compacted snapshot topic. A guild whose early events (guild.created
// included) are deleted from the events topic, as retention would, comes back whole from a
// rebuild, equal to what the live projection held and to what server-service answers.

const run = randomBytes(4).toString('hex');
const topic = `chat-test.rebuild-events.${run}`;
const snapshotTopic = `chat-test.rebuild-snapshots.${run}`;
const silent = createLogger('rebuild-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const db = testDatabaseOptions();
const kafka = new Kafka({ brokers: [...endpoints.kafka.brokers], logLevel: logLevel.NOTHING });
const RETENTION_MS = 3_600_000;
let app: TestApp;
let relay: OutboxRelay;
let source: DataSource;
let projection: Projection;
let users: Record<'alice' | 'bob' | 'carol' | 'mod' | 'admin', User>;
const handled: HandledRecord[] = [];

/** Resolves once the live projection has applied an event of this type for this guild. */
async function projected(type: ServerEventType, guildId: string, includes = '') {
  const match = (h: HandledRecord) =>
    h.event?.type === type &&
    h.event.subject === `guilds/${guildId}` &&
    JSON.stringify(h.event.data).includes(includes);
  await waitFor(`${type} of guild ${guildId} projected`, () => handled.some(match), 30_000, 50);
}

async function topicConfig(name: string, keys: string[]): Promise<Record<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: keys }],
    });
    return Object.fromEntries(
      described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Every record of the events topic still kept, in partition order: [guildId, type, offset]. */
async function eventsKept(): Promise<
  { partition: number; offset: string; guildId: string; type: string }[]
> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const ends = new Map(
    offsets
      .filter((o) => BigInt(o.high) > BigInt(o.low))
      .map((o) => [o.partition, BigInt(o.high) - 1n]),
  );
  const records: { partition: number; offset: string; guildId: string; type: string }[] = [];
  if (!ends.size) return records;
  const groupId = `rebuild-test-reader-${run}-${randomBytes(3).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const event = parseServerEvent(message.value);
        records.push({
          partition,
          offset: message.offset,
          guildId: event.subject.slice(7),
          type: event.type,
        });
        if (BigInt(message.offset) >= (ends.get(partition) ?? -1n)) ends.delete(partition);
        if (!ends.size) resolve();
      },
    });
  });
  await consumer.disconnect();
  const cleanup = kafka.admin();
  await cleanup.connect();
  await cleanup.deleteGroups([groupId]).catch(() => undefined);
  await cleanup.disconnect();
  return records;
}

beforeAll(async () => {
  app = await startTestApp();
  users = await loginAll(app.baseUrl);
  // The events topic exists already, created without settings (as chat-service creates it when
  // it starts first): the relay's start-up must give it its retention.
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  relay = new OutboxRelay({
    database: serverPgConfig(app.db),
    kafka: { clientId: `rebuild-test-relay-${run}`, brokers: [...endpoints.kafka.brokers] },
    topic,
    partitions: 3,
    eventsRetentionMs: RETENTION_MS,
    snapshotTopic,
    pollIntervalMs: 200,
    lockKey: BigInt(`0x${randomBytes(6).toString('hex')}`),
    logger: silent,
  });
  relay.start();
  source = await migratedDataSource(db);
  projection = createProjection(
    {
      KAFKA_BROKERS: [...endpoints.kafka.brokers],
      KAFKA_CLIENT_ID: `rebuild-test-${run}`,
      KAFKA_GROUP_PREFIX: `rebuild-test-${run}.`,
      KAFKA_REPLICATION_FACTOR: 1,
      SERVER_EVENTS_TOPIC: topic,
    },
    source,
    silent,
    { onRecord: (record) => handled.push(record) },
  );
  await projection.start();
});

afterAll(async () => {
  await projection?.stop();
  await relay?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, snapshotTopic] }).catch(() => undefined);
  await admin.deleteGroups([`rebuild-test-${run}.projection`]).catch(() => undefined);
  await admin.disconnect();
  await app?.close();
  if (source) {
    await dropSchema(source, db.schema);
    await source.destroy();
  }
});

describe('rebuilding the projection after server.events lost a guild’s early events', () => {
  it('restores every live guild from the snapshot topic, then the events after it, equal to the live projection and server-service', async () => {
    const { alice, bob, carol, mod } = users;
    expect(await topicConfig(topic, ['retention.ms', 'cleanup.policy'])).toEqual({
      'retention.ms': String(RETENTION_MS),
      'cleanup.policy': 'delete',
    });

    // An old guild with some life: a private channel, a role with an overwrite, a ban.
    const old = await createGuild(alice, [bob, mod, carol]);
    const secret = await alice.api.post(`/guilds/${old.id}/channels`, { name: 'secret' });
    expect(secret.status).toBe(201);
    const roleId = await grantRole(alice, old.id, bob, { permissions: '0' });
    expect(
      (
        await alice.api.put(`/channels/${secret.body.id}/permissions/${roleId}`, {
          type: 'role',
          allow: '1024',
        })
      ).status,
    ).toBeLessThan(300);
    expect((await alice.api.put(`/guilds/${old.id}/bans/${carol.id}`, {})).status).toBe(200);
    // A guild deleted later: the rebuild must not bring it back.
    const doomed = await createGuild(bob);
    await projected('member.banned', old.id, carol.id);
    await projected('guild.created', doomed.id);

    // Retention passes: everything published so far leaves the events topic.
    const admin = kafka.admin();
    await admin.connect();
    const before = await admin.fetchTopicOffsets(topic);
    await admin.deleteTopicRecords({
      topic,
      partitions: before.map((o) => ({ partition: o.partition, offset: o.high })),
    });
    const after = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(after.map((o) => o.low)).toEqual(before.map((o) => o.high));
    expect((await eventsKept()).filter((r) => r.guildId === old.id)).toEqual([]);

    // Life goes on: the old guild changes, a new guild comes, the doomed one goes.
    expect(
      (await alice.api.patch(`/channels/${secret.body.id}`, { name: 'secret-renamed' })).status,
    ).toBe(200);
    expect((await alice.api.delete(`/guilds/${old.id}/members/${mod.id}`)).status).toBe(204);
    const fresh = await createGuild(carol);
    await join(carol.api, fresh.id, alice);
    expect((await bob.api.delete(`/guilds/${doomed.id}`)).status).toBe(204);
    await projected('member.kicked', old.id, mod.id);
    await projected('member.joined', fresh.id, alice.id);
    await projected('guild.deleted', doomed.id);

    // The events themselves still flow in order: each guild's in the order they happened.
    const kept = await eventsKept();
    expect(kept.filter((r) => r.guildId === old.id).map((r) => r.type)).toEqual([
      'channel.updated',
      'member.kicked',
    ]);
    expect(kept.filter((r) => r.guildId === fresh.id).map((r) => r.type)).toEqual([
      'guild.created',
      'member.joined',
    ]);
    for (const partition of new Set(kept.map((r) => r.partition))) {
      const offsets = kept.filter((r) => r.partition === partition).map((r) => BigInt(r.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    expect(await topicConfig(snapshotTopic, Object.keys(GUILD_SNAPSHOTS_TOPIC_CONFIG))).toEqual(
      GUILD_SNAPSHOTS_TOPIC_CONFIG,
    );

    const live = await projectionState(source);
    expect(live.guilds!.map((g) => String((g as { id: string }).id)).sort()).toEqual(
      [old.id, fresh.id].sort(),
    );
    await projection.stop();
    const options = {
      dataSource: source,
      kafka: { clientId: `rebuild-test-${run}-rebuild`, brokers: [...endpoints.kafka.brokers] },
      topic,
      groupPrefix: `rebuild-test-${run}.`,
      logger: silent,
      timeoutMs: 60_000,
    };

    // From the events alone, the old guild is lost: its guild.created is gone.
    await rebuildProjection(options);
    const eventsOnly = await projectionState(source);
    expect(eventsOnly.guilds!.map((g) => String((g as { id: string }).id))).toEqual([fresh.id]);

    // With the snapshots, everything is back, equal to the live projection.
    const result = await rebuildProjection({ ...options, snapshotTopic });
    expect(result.snapshots).toBe(2);
    expect(await projectionState(source)).toEqual(live);

    // …and to server-service's own answers.
    const channels = (await alice.api.get(`/guilds/${old.id}/channels`)).body as {
      id: string;
      name: string;
    }[];
    const projectedChannels = (await source.query(
      `SELECT id::text AS id, name FROM channels WHERE guild_id = $1 ORDER BY id`,
      [old.id],
    )) as { id: string; name: string }[];
    expect(projectedChannels).toEqual(
      channels
        .map((c) => ({ id: c.id, name: c.name }))
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)),
    );
    expect(projectedChannels.map((c) => c.name)).toContain('secret-renamed');
    const members = (await alice.api.get(`/guilds/${old.id}/members`)).body as {
      items: { userId: string }[];
    };
    const projectedMembers = (await source.query(
      `SELECT user_id FROM members WHERE guild_id = $1 ORDER BY user_id`,
      [old.id],
    )) as { user_id: string }[];
    expect(projectedMembers.map((m) => m.user_id).sort()).toEqual(
      members.items.map((m) => m.userId).sort(),
    );
    expect(projectedMembers.map((m) => m.user_id)).not.toContain(mod.id);
    expect(await source.query(`SELECT user_id FROM bans WHERE guild_id = $1`, [old.id])).toEqual([
      { user_id: carol.id },
    ]);
  }, 180_000);
});
