/**
 * Test support for the outbox tests: a private Postgres schema with the outbox migration, a Kafka
 * collector, event factories and a bounded wait. Used by tests only (and the relay child process).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { serverEvent, type ServerEvent } from '@echopulse/guild-contracts';
import { endpoints } from '@echopulse/infra';
import { waitFor } from '@echopulse/infra/testing';
import { SnowflakeGenerator, type EventEnvelope } from '@echopulse/service-kit';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import { Client, type ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { CreateOutbox1795354000000 } from '../../src/db/migrations/1795354000000-CreateOutbox';
import { OutboxWriter } from '../../src/outbox/outbox.writer';

/** The database every server-service test uses; dev data is never touched. */
export const TEST_DATABASE = 'echopulse_server_test';

/** A short random suffix, so parallel runs never share a schema, topic, group or lock. */
export const uniqueSuffix = (): string => randomBytes(5).toString('hex');

/** A random advisory lock key in the positive bigint range. */
export const uniqueLockKey = (): bigint => BigInt(`0x${randomBytes(7).toString('hex')}`);

/** Polls for state that emits no event (rows, topics, statuses): infra's one polling helper. */
export { waitFor };

/** A schema of its own in the test database, with the outbox migration applied. */
export interface OutboxSchema {
  schema: string;
  /** A TypeORM data source whose connections see only this schema. */
  dataSource: DataSource;
  /** pg settings for a relay that should use this schema. */
  pg: ClientConfig;
  writer: OutboxWriter;
  /** Commits the events in one transaction. */
  commit(...events: ServerEvent[]): Promise<void>;
  /** Runs a query on the schema. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export function pgConfigFor(schema: string): ClientConfig {
  const { host, port, user, password } = endpoints.postgres;
  return {
    host,
    port,
    user,
    password,
    database: TEST_DATABASE,
    options: `-c search_path=${schema}`,
  };
}

/** Creates a fresh schema and runs the CreateOutbox migration in it (as the app's data source would). */
export async function createOutboxSchema(runMigration = true): Promise<OutboxSchema> {
  const schema = `outbox_test_${uniqueSuffix()}`;
  const pg = pgConfigFor(schema);
  const admin = new Client({ ...pg, options: undefined });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource({
    type: 'postgres',
    host: pg.host,
    port: pg.port,
    username: pg.user,
    password: pg.password as string,
    database: TEST_DATABASE,
    schema,
    migrations: [CreateOutbox1795354000000],
    migrationsTableName: 'outbox_test_migrations',
    poolSize: 4,
    extra: { options: pg.options },
  });
  await dataSource.initialize();
  if (runMigration) await dataSource.runMigrations({ transaction: 'each' });
  const writer = new OutboxWriter();
  return {
    schema,
    dataSource,
    pg,
    writer,
    commit: (...events) =>
      dataSource.transaction('READ COMMITTED', (manager) => writer.appendAll(manager, events)),
    query: (sql, params) => dataSource.query(sql, params),
    async drop() {
      await dataSource.query(`DROP SCHEMA ${schema} CASCADE`);
      await dataSource.destroy();
    },
  };
}

const ids = new SnowflakeGenerator(1000);

/** A fresh guild id. */
export const newGuildId = (): string => ids.next();

/**
 * A valid `member.joined` event whose `seq` (in the user id) lets a test check order:
 * `user-<seq>` joins guild `guildId`.
 */
export function memberJoined(guildId: string, seq: number): ServerEvent {
  return serverEvent('member.joined', guildId, {
    member: {
      guildId,
      userId: `user-${seq}`,
      username: `user${seq}`,
      displayName: `User ${seq}`,
      nickname: null,
      roleIds: [],
      joinedAt: new Date().toISOString(),
    },
  });
}

/** `count` events per guild, interleaved across guilds (g1#0, g2#0, g1#1, g2#1, …). */
export function interleavedEvents(guildIds: string[], count: number, firstSeq = 0): ServerEvent[] {
  const events: ServerEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    for (const guildId of guildIds) events.push(memberJoined(guildId, firstSeq + i));
  }
  return events;
}

/** One message as a consumer saw it. */
export interface Received {
  partition: number;
  offset: string;
  key: string;
  envelope: EventEnvelope;
  headers: Record<string, string>;
  receivedAt: number;
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}

export const testKafka = (clientId: string) =>
  new Kafka({ clientId, brokers: [...endpoints.kafka.brokers], logLevel: logLevel.NOTHING });

/** Reads a topic from the beginning into `messages` until stopped. */
export class TopicCollector {
  readonly messages: Received[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(topic: string): Promise<TopicCollector> {
    const consumer = testKafka(`outbox-test-${uniqueSuffix()}`).consumer({
      groupId: `outbox-test-${uniqueSuffix()}`,
      maxWaitTimeInMs: 50,
    });
    const collector = new TopicCollector(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        collector.messages.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          envelope: JSON.parse(message.value?.toString() ?? 'null') as EventEnvelope,
          headers: headerStrings(message.headers),
          receivedAt: Date.now(),
        });
      },
    });
    return collector;
  }

  /** Event ids in the order received, with duplicates. */
  ids(): string[] {
    return this.messages.map((m) => m.envelope.id);
  }

  /** Waits until every given event id was received at least once. */
  async waitForIds(expected: readonly string[], timeoutMs = 30_000): Promise<void> {
    await waitFor(
      `${expected.length} events on the topic`,
      () => {
        const seen = new Set(this.ids());
        return expected.every((id) => seen.has(id));
      },
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/**
 * Per guild, the event ids in the order they were first received (what a consumer that
 * deduplicates on the event id sees).
 */
export function firstSeenOrderByGuild(messages: readonly Received[]): Map<string, string[]> {
  const seen = new Set<string>();
  const byGuild = new Map<string, string[]>();
  // Order within a partition is offset order; across partitions there is none to check.
  const sorted = [...messages].sort((a, b) =>
    a.partition !== b.partition
      ? a.partition - b.partition
      : Number(BigInt(a.offset) - BigInt(b.offset)),
  );
  for (const message of sorted) {
    if (seen.has(message.envelope.id)) continue;
    seen.add(message.envelope.id);
    const list = byGuild.get(message.key) ?? [];
    list.push(message.envelope.id);
    byGuild.set(message.key, list);
  }
  return byGuild;
}

/** Per guild, the event ids in the order they were committed. */
export function expectedOrderByGuild(events: readonly ServerEvent[]): Map<string, string[]> {
  const byGuild = new Map<string, string[]>();
  for (const event of events) {
    const guildId = event.subject.slice('guilds/'.length);
    const list = byGuild.get(guildId) ?? [];
    list.push(event.id);
    byGuild.set(guildId, list);
  }
  return byGuild;
}

/** Deletes a test topic (ignoring a topic that never came to be). */
export async function deleteTopic(topic: string): Promise<void> {
  const admin = testKafka(`outbox-test-admin-${uniqueSuffix()}`).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
