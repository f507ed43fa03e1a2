import {
  databaseConfigShape,
  envBool as bool,
  envInt as int,
  httpConfigShape,
  kafkaConfigShape,
  kafkaTopic,
  keycloakConfigShape,
  redisConfigShape,
  serviceConfig,
  sharedDevDefaults,
} from '@echopulse/service-kit';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';

/** A comma-separated list of proxy-addr trust entries, each checked by proxy-addr itself. */
const trustList = () =>
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      try {
        proxyAddr.compile(entries);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });

const shape = {
  ...httpConfigShape,
  ...databaseConfigShape,
  ...redisConfigShape,
  ...kafkaConfigShape,
  ...keycloakConfigShape,
  /**
   * server-service's compacted topic of whole guild states, which a projection rebuild reads
   * first (projection/rebuild.ts).
   */
  GUILD_SNAPSHOTS_TOPIC: kafkaTopic().default('server.guild-snapshots'),
  /** Chat messages, edits and deletes, keyed by channel id. */
  CHAT_MESSAGES_TOPIC: kafkaTopic(),
  /** Partitions of CHAT_MESSAGES_TOPIC when this service creates it. */
  CHAT_MESSAGES_PARTITIONS: int(1, 1000),
  /** Replication of created topics (1 on a single dev broker, 3 in production). */
  KAFKA_REPLICATION_FACTOR: int(1, 10),
  /** Consumer group ids are this prefix plus `projection`, `archiver`. */
  KAFKA_GROUP_PREFIX: z.string().min(1),
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
  /**
   * Proxies whose X-Forwarded-For is believed when deciding a WebSocket's client address (for
   * WS_MAX_PENDING_PER_IP): a comma-separated `proxy-addr` trust list — addresses, CIDR ranges
   * or the names `loopback`, `linklocal`, `uniquelocal`; empty trusts nobody (the socket's peer
   * address counts). The web app's server on 8080 proxies /ws from loopback.
   */
  TRUSTED_PROXIES: trustList(),
  /** Run the archiver consumer (every instance may; Kafka shares the partitions). */
  ARCHIVER_ENABLED: bool,
  /** Rows one statement of the purge of a deleted channel removes (archive, read states). */
  PURGE_BATCH_SIZE: int(1, 100_000).default(1000),
  /** How often the purge worker looks for deleted channels to purge. */
  PURGE_INTERVAL_MS: int(50, 3_600_000).default(5000),
};

/** Development defaults: the local infrastructure of `npm run infra:up`. Production sets everything. */
export const devDefaults = {
  ...sharedDevDefaults,
  PORT: '8082',
  PUBLIC_URL: 'http://localhost:8082',
  DATABASE_NAME: 'echopulse_chat',
  DATABASE_POOL_SIZE: '20',
  REDIS_KEY_PREFIX: 'chat:',
  KAFKA_CLIENT_ID: 'chat-service',
  CHAT_MESSAGES_TOPIC: 'chat.messages',
  CHAT_MESSAGES_PARTITIONS: '12',
  KAFKA_REPLICATION_FACTOR: '1',
  KAFKA_GROUP_PREFIX: 'chat-service.',
  KEYCLOAK_AUDIENCE: 'chat-service',
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
  TRUSTED_PROXIES: 'loopback',
  ARCHIVER_ENABLED: 'true',
} as const;

/** The service's configuration: see service-kit's `serviceConfig`. */
export const { configKeys, readConfig } = serviceConfig(shape, devDefaults);

export type Config = ReturnType<typeof readConfig>;
