import { loadConfig } from '@echopulse/service-kit';
import { z } from 'zod';

/** Integers from environment strings. */
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const shape = {
  /** TCP port of HTTP, the STOMP endpoint (`/ws`) included; 0 picks a free one (tests). */
  PORT: int(0, 65535),
  /** Interface to listen on: loopback by default; a container sets 0.0.0.0 (compose.yaml). */
  HOST: z.string().min(1),
  /** Public base URL of this service (OpenAPI `servers`, Swagger UI). */
  PUBLIC_URL: z.url(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  DATABASE_HOST: z.string().min(1),
  DATABASE_PORT: int(1, 65535),
  DATABASE_USER: z.string().min(1),
  /** Secret. */
  DATABASE_PASSWORD: z.string().min(1),
  DATABASE_NAME: z.string().min(1),
  DATABASE_POOL_SIZE: int(1, 100),
  /** Postgres schema of every table (tests give each suite its own). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
  REDIS_URL: z.string().regex(/^rediss?:\/\//),
  /** Prefix of every Redis key and pub/sub channel (tests use a unique one per run). */
  REDIS_KEY_PREFIX: z.string().min(1),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) => s.split(',').map((b) => b.trim())),
  KAFKA_CLIENT_ID: z.string().min(1),
  /** server-service's events, projected into this service's tables. */
  SERVER_EVENTS_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/),
  /**
   * server-service's compacted topic of whole guild states, which a projection rebuild reads
   * first (projection/rebuild.ts).
   */
  GUILD_SNAPSHOTS_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .default('server.guild-snapshots'),
  /** Chat messages, edits and deletes, keyed by channel id. */
  CHAT_MESSAGES_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/),
  /** Partitions of CHAT_MESSAGES_TOPIC when this service creates it. */
  CHAT_MESSAGES_PARTITIONS: int(1, 1000),
  /** Replication of created topics (1 on a single dev broker, 3 in production). */
  KAFKA_REPLICATION_FACTOR: int(1, 10),
  /** Consumer group ids are this prefix plus `projection`, `archiver`. */
  KAFKA_GROUP_PREFIX: z.string().min(1),
  KEYCLOAK_ISSUER: z.url(),
  /** Issuer as the browser reaches it (Swagger UI's login); defaults to KEYCLOAK_ISSUER. */
  KEYCLOAK_PUBLIC_ISSUER: z.url().optional(),
  /**
   * Where the realm's signing keys are fetched when the issuer's URL is not reachable from here
   * (containers: the issuer is the browser's localhost); default: the issuer's OIDC discovery.
   */
  KEYCLOAK_JWKS_URI: z.url().optional(),
  KEYCLOAK_AUDIENCE: z.string().min(1),
  KEYCLOAK_DOCS_CLIENT_ID: z.string().min(1),
  /** Snowflake worker id of this instance, unique among running instances (0–1023). */
  WORKER_ID: int(0, 1023),
  /**
   * How many instances sequence messages (the others forward to them): 1 batches best — per
   * sequencing tick, not per message, is what costs — more spread the load over machines.
   */
  SEQUENCER_INSTANCES: int(1, 1000),
  /** Messages a user may send per window, across channels and instances. */
  RATE_LIMIT_MESSAGES: int(1, 1_000_000),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 3600),
  /** Recent messages Redis keeps per channel, and for how long after the last write. */
  HISTORY_CACHE_SIZE: int(1, 100_000),
  HISTORY_CACHE_TTL_SECONDS: int(1, 30 * 24 * 3600),
  /** How long a nonce maps to its message (a resend within it yields the original). */
  NONCE_TTL_SECONDS: int(60, 30 * 24 * 3600),
  /** Warn on /user/queue/notices this long before a session's token expires. */
  TOKEN_EXPIRY_WARNING_SECONDS: int(1, 3600),
  /** Presence heartbeat period; a user is offline once no heartbeat is younger than 2 periods. */
  PRESENCE_HEARTBEAT_SECONDS: int(1, 3600),
  /** STOMP heart-beat offered to clients, in ms (0 = none). */
  STOMP_HEARTBEAT_MS: int(0, 600_000),
  /**
   * WebSockets on /ws one remote address may hold open before they CONNECT; past it new ones are
   * refused (ERROR too_many_pending, close 1013). Signed-in sessions do not count.
   */
  WS_MAX_PENDING_PER_IP: int(1, 100_000),
  /** Run the archiver consumer (every instance may; Kafka shares the partitions). */
  ARCHIVER_ENABLED: bool,
  SHUTDOWN_GRACE_MS: int(0, 120_000),
  /** Rows one statement of the purge of a deleted channel removes (archive, read states). */
  PURGE_BATCH_SIZE: int(1, 100_000).default(1000),
  /** How often the purge worker looks for deleted channels to purge. */
  PURGE_INTERVAL_MS: int(50, 3_600_000).default(5000),
};

export type Config = ReturnType<typeof readConfig>;

/** Every variable the service reads (deployment files are checked against it). */
export const configKeys = Object.keys(shape);

/** Development defaults: the local infrastructure of `npm run infra:up`. Production sets everything. */
export const devDefaults = {
  PORT: '8082',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'http://localhost:8082',
  LOG_LEVEL: 'info',
  DATABASE_HOST: '127.0.0.1',
  DATABASE_PORT: '5432',
  DATABASE_USER: 'echopulse',
  DATABASE_PASSWORD: 'echopulse',
  DATABASE_NAME: 'echopulse_chat',
  DATABASE_POOL_SIZE: '20',
  DATABASE_SCHEMA: 'public',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: 'chat:',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_CLIENT_ID: 'chat-service',
  SERVER_EVENTS_TOPIC: 'server.events',
  CHAT_MESSAGES_TOPIC: 'chat.messages',
  CHAT_MESSAGES_PARTITIONS: '12',
  KAFKA_REPLICATION_FACTOR: '1',
  KAFKA_GROUP_PREFIX: 'chat-service.',
  KEYCLOAK_ISSUER: 'http://127.0.0.1:8180/realms/echopulse',
  KEYCLOAK_AUDIENCE: 'chat-service',
  KEYCLOAK_DOCS_CLIENT_ID: 'web-vue',
  WORKER_ID: '1',
  SEQUENCER_INSTANCES: '1',
  RATE_LIMIT_MESSAGES: '10',
  RATE_LIMIT_WINDOW_SECONDS: '5',
  HISTORY_CACHE_SIZE: '500',
  HISTORY_CACHE_TTL_SECONDS: String(48 * 3600),
  NONCE_TTL_SECONDS: String(24 * 3600),
  TOKEN_EXPIRY_WARNING_SECONDS: '60',
  PRESENCE_HEARTBEAT_SECONDS: '30',
  STOMP_HEARTBEAT_MS: '10000',
  WS_MAX_PENDING_PER_IP: '10',
  ARCHIVER_ENABLED: 'true',
  SHUTDOWN_GRACE_MS: '10000',
} as const;

/**
 * The service's configuration, read once from the environment (the only reader of
 * `process.env`), validated and frozen. Outside production every variable has a dev default;
 * production must set them all and may not use the dev database password.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(shape, { env, devDefaults, secrets: ['DATABASE_PASSWORD'] });
}
