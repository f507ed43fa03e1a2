import { createHash } from 'node:crypto';
import { envInt as int, type Logger } from '@echopulse/service-kit';
import { z } from 'zod';
import { DEFAULT_RELAY_LOCK_KEY, OutboxRelay, type OutboxRelayHooks } from './outbox.relay';

/**
 * The outbox relay's environment variables, to spread into server-service's config shape
 * (`config.ts` stays the only reader of process.env). The relay also uses DATABASE_*,
 * KAFKA_BROKERS, KAFKA_CLIENT_ID and SERVER_EVENTS_TOPIC from the service's config.
 */
export const outboxConfigShape = {
  /** Run the relay in this process (every instance may: one leads, the others stand by). */
  OUTBOX_RELAY_ENABLED: z.stringbool(),
  /** Partitions of the server events topic when the relay creates it. */
  OUTBOX_TOPIC_PARTITIONS: int(1, 1000),
  /** Replication factor of the topic when the relay creates it: 1 on one broker, 3 in production. */
  OUTBOX_TOPIC_REPLICATION_FACTOR: int(1, 16),
  /** Events per Kafka request. */
  OUTBOX_BATCH_SIZE: int(1, 10_000),
  /** Fallback poll of the outbox when no NOTIFY arrives. */
  OUTBOX_POLL_INTERVAL_MS: int(10, 600_000),
  /** Longest wait between two retries while Kafka or Postgres is down. */
  OUTBOX_BACKOFF_MAX_MS: int(10, 600_000),
  /** How long published rows are kept (for inspection) before retention deletes them. */
  OUTBOX_RETENTION_HOURS: int(0, 24 * 365),
  /**
   * How long Kafka keeps server events (the topic's `retention.ms`, set by the relay). A
   * consumer rebuilding later starts from the guild snapshots topic. Default 168 (7 days).
   */
  SERVER_EVENTS_RETENTION_HOURS: int(1, 24 * 3650).default(168),
  /** The compacted topic of whole guild states the relay writes (README "Snapshots"). */
  GUILD_SNAPSHOTS_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .default('server.guild-snapshots'),
};

/** Development defaults of those variables (production sets them explicitly). */
export const outboxDevDefaults = {
  OUTBOX_RELAY_ENABLED: 'true',
  OUTBOX_TOPIC_PARTITIONS: '6',
  OUTBOX_TOPIC_REPLICATION_FACTOR: '1',
  OUTBOX_BATCH_SIZE: '500',
  OUTBOX_POLL_INTERVAL_MS: '1000',
  OUTBOX_BACKOFF_MAX_MS: '10000',
  OUTBOX_RETENTION_HOURS: '24',
} as const;

/** The part of server-service's validated config the relay reads. */
export interface OutboxRelayConfig {
  DATABASE_HOST: string;
  DATABASE_PORT: number;
  DATABASE_USER: string;
  DATABASE_PASSWORD: string;
  DATABASE_NAME: string;
  DATABASE_SCHEMA: string;
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID: string;
  SERVER_EVENTS_TOPIC: string;
  OUTBOX_TOPIC_PARTITIONS: number;
  OUTBOX_TOPIC_REPLICATION_FACTOR: number;
  OUTBOX_BATCH_SIZE: number;
  OUTBOX_POLL_INTERVAL_MS: number;
  OUTBOX_BACKOFF_MAX_MS: number;
  OUTBOX_RETENTION_HOURS: number;
  SERVER_EVENTS_RETENTION_HOURS: number;
  GUILD_SNAPSHOTS_TOPIC: string;
}

/**
 * One relay leads per outbox, that is per schema: deployments sharing a database in different
 * schemas (benchmarks, previews) must not wait on each other's leader.
 */
export function relayLockKey(schema: string): bigint {
  if (schema === 'public') return DEFAULT_RELAY_LOCK_KEY;
  const digest = createHash('sha256').update(`outbox:${schema}`).digest();
  return digest.readBigInt64BE(0);
}

/** Builds the relay from server-service's config; call `start()` after listening, `stop()` on shutdown. */
export function createOutboxRelay(
  config: OutboxRelayConfig,
  logger: Logger,
  hooks?: OutboxRelayHooks,
): OutboxRelay {
  return new OutboxRelay({
    database: {
      host: config.DATABASE_HOST,
      port: config.DATABASE_PORT,
      user: config.DATABASE_USER,
      password: config.DATABASE_PASSWORD,
      database: config.DATABASE_NAME,
      // the outbox lives in the service's schema, like every other table
      options: `-c search_path=${config.DATABASE_SCHEMA}`,
      connectionTimeoutMillis: 5000,
      // Keeps a dead peer from holding the advisory lock (and leadership) for long.
      keepAlive: true,
    },
    kafka: {
      clientId: `${config.KAFKA_CLIENT_ID}-outbox-relay`,
      brokers: config.KAFKA_BROKERS,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
    },
    lockKey: relayLockKey(config.DATABASE_SCHEMA),
    topic: config.SERVER_EVENTS_TOPIC,
    partitions: config.OUTBOX_TOPIC_PARTITIONS,
    replicationFactor: config.OUTBOX_TOPIC_REPLICATION_FACTOR,
    eventsRetentionMs: config.SERVER_EVENTS_RETENTION_HOURS * 3600_000,
    snapshotTopic: config.GUILD_SNAPSHOTS_TOPIC,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    backoff: { initialMs: 100, maxMs: config.OUTBOX_BACKOFF_MAX_MS },
    retentionMs: config.OUTBOX_RETENTION_HOURS * 3600_000,
    logger,
    hooks,
  });
}
