import { randomBytes } from 'node:crypto';
import { parseGuildStateSnapshot, type GuildStateSnapshot } from '@echopulse/guild-contracts';
import { createLogger, type Logger } from '@echopulse/service-kit';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { readConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { kafkaLogCreator } from '@echopulse/service-kit/kafka';
import { ProjectionConsumer, type HandledRecord } from './projection.consumer';
import { guildIdOf, Projector } from './projector';

/** The projection's tables, emptied by a rebuild (processed_events too, so every event applies again). */
export const PROJECTION_TABLES = [
  'guilds',
  'roles',
  'channels',
  'channel_overwrites',
  'members',
  'member_roles',
  'bans',
  'processed_events',
] as const;

export interface RebuildOptions {
  dataSource: DataSource;
  kafka: KafkaConfig;
  topic: string;
  /**
   * The compacted guild snapshots topic (server-service writes every guild's whole state there):
   * read first, so that guilds whose early events the server events topic no longer keeps are
   * rebuilt too. Without it (or when it does not exist) the rebuild replays events only.
   */
  snapshotTopic?: string;
  /** The rebuild consumes with a fresh group `${groupPrefix}projection-rebuild-…`, deleted after. */
  groupPrefix: string;
  logger: Logger;
  /** Give up when the replay has not reached the topic's end by then (default 10 minutes). */
  timeoutMs?: number;
}

export interface RebuildResult {
  /** Guilds restored from their snapshot before the replay. */
  snapshots: number;
  records: number;
  applied: number;
  skipped: number;
  groupId: string;
}

/**
 * Rebuilds the projection from nothing: empties its tables, restores every live guild from the
 * guild snapshots topic (read to its end), then replays the server events topic from the start
 * with a fresh consumer group until it reaches the end the topic had when the replay began,
 * skipping the events a guild's snapshot already includes (those below the offsets it records).
 * So a guild whose `guild.created` the events topic no longer keeps (retention) comes back whole,
 * and the events after its snapshot bring it up to date. Run it with every instance's projection consumer stopped (the CLI is meant for
 * that): a live consumer applying new events meanwhile would find the guilds of the replay's
 * not-yet-reached events missing and ignore those events for good. Once it is through, the live
 * group resumes from its own offsets and skips what the replay already applied (by event id).
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { dataSource, topic, logger } = options;
  const kafka = new Kafka({
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    ...options.kafka,
  });
  const groupId = `${options.groupPrefix}projection-rebuild-${Date.now()}-${randomBytes(3).toString('hex')}`;

  await dataSource.query(`TRUNCATE ${PROJECTION_TABLES.join(', ')}`);
  const projector = new Projector(dataSource, logger);
  const snapshots = options.snapshotTopic
    ? await readSnapshots(kafka, options.snapshotTopic, `${groupId}-snapshots`, logger)
    : new Map<string, GuildStateSnapshot>();
  for (const snapshot of snapshots.values()) await projector.applySnapshot(snapshot);
  logger.info(
    { topic, groupId, snapshots: snapshots.size },
    'projection emptied and restored from guild snapshots; replaying the server events topic',
  );

  // Where the replay is done: the last offset of every partition that holds records now.
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  let partitions: number;
  try {
    const listed = await admin.listTopics();
    const offsets = listed.includes(topic) ? await admin.fetchTopicOffsets(topic) : [];
    partitions = offsets.length;
    ends = new Map(
      offsets
        .filter((o) => BigInt(o.high) > BigInt(o.low))
        .map((o) => [o.partition, BigInt(o.high) - 1n]),
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const result: RebuildResult = {
    snapshots: snapshots.size,
    records: 0,
    applied: 0,
    skipped: 0,
    groupId,
  };
  if (ends.size === 0) {
    logger.info(
      { topic },
      'the server events topic holds no records: the projection is what the snapshots hold',
    );
    return result;
  }

  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const onRecord = (record: HandledRecord) => {
    result.records += 1;
    if (typeof record.result === 'object' && record.result.status === 'applied')
      result.applied += 1;
    else result.skipped += 1;
    const end = ends.get(record.partition);
    if (end !== undefined && BigInt(record.offset) >= end) ends.delete(record.partition);
    if (ends.size === 0) done();
  };
  const consumer = new ProjectionConsumer({
    kafka: options.kafka,
    topic,
    groupId,
    // The topic exists (it has records): nothing is created; its own count keeps ensureTopic quiet.
    partitions,
    replicationFactor: 1,
    projector,
    logger,
    onRecord,
    skip: (event, partition, offset) => {
      const below = snapshots.get(guildIdOf(event))?.eventOffsets[String(partition)];
      return below !== undefined && BigInt(offset) < BigInt(below);
    },
  });
  const timeoutMs = options.timeoutMs ?? 600_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.start();
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`rebuild did not reach the end of ${topic} in ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await consumer.stop();
    // The group was only for this replay; leave no trace of it in Kafka.
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect().catch(() => undefined);
  }
  logger.info(result, 'projection rebuilt');
  return result;
}

/**
 * The newest snapshot of every live guild: the topic read from its start to the end it had when
 * reading began (a later record for the same guild replaces an earlier one; a tombstone, a
 * deleted guild, removes it). A record that does not parse is logged and left out: the guild's
 * events then rebuild it as far as the events topic still reaches.
 */
async function readSnapshots(
  kafka: Kafka,
  topic: string,
  groupId: string,
  logger: Logger,
): Promise<Map<string, GuildStateSnapshot>> {
  const snapshots = new Map<string, GuildStateSnapshot>();
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      logger.warn({ topic }, 'no guild snapshots topic: the rebuild replays events only');
      return snapshots;
    }
    ends = new Map(
      (await admin.fetchTopicOffsets(topic))
        .filter((o) => BigInt(o.high) > BigInt(o.low))
        .map((o) => [o.partition, BigInt(o.high) - 1n]),
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (ends.size === 0) return snapshots;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  let done!: () => void;
  let failed!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const guildId = message.key?.toString() ?? '';
        try {
          const snapshot = parseGuildStateSnapshot(message.key, message.value);
          if (snapshot) snapshots.set(guildId, snapshot);
          else snapshots.delete(guildId);
        } catch (error) {
          logger.warn(
            { topic, partition, offset: message.offset, guildId, err: error },
            'skipped a guild snapshot that does not parse',
          );
        }
        const end = ends.get(partition);
        if (end !== undefined && BigInt(message.offset) >= end) ends.delete(partition);
        if (ends.size === 0) done();
      },
    });
    consumer.on(consumer.events.CRASH, (e) => failed(e.payload.error));
    await finished;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect().catch(() => undefined);
  }
  return snapshots;
}

/**
 * CLI, with the service's environment: `node chat-service/dist/projection/rebuild.js` after
 * `npm run build` (from the built code: the entities need TypeScript's decorator metadata).
 */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('chat-service-rebuild', config.LOG_LEVEL);
  const dataSource = createDataSource({
    host: config.DATABASE_HOST,
    port: config.DATABASE_PORT,
    username: config.DATABASE_USER,
    password: config.DATABASE_PASSWORD,
    database: config.DATABASE_NAME,
    poolSize: 2,
    schema: config.DATABASE_SCHEMA,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await rebuildProjection({
      dataSource,
      kafka: { clientId: `${config.KAFKA_CLIENT_ID}-rebuild`, brokers: config.KAFKA_BROKERS },
      topic: config.SERVER_EVENTS_TOPIC,
      snapshotTopic: config.GUILD_SNAPSHOTS_TOPIC,
      groupPrefix: config.KAFKA_GROUP_PREFIX,
      logger,
    });
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
