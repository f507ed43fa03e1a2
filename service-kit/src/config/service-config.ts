import { z } from 'zod';
import { loadConfig } from './load-config';

// The configuration both services read alike, declared once: each service's config.ts spreads
// these fragments into its shape (and the dev defaults into its own), then adds what is its own.

/** Integers from environment strings. */
export const envInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `true` or `false`, nothing else. */
export const envBool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A Kafka topic name. */
export const kafkaTopic = () => z.string().regex(/^[A-Za-z0-9._-]{1,249}$/);

/** HTTP, logging and shutdown. */
export const httpConfigShape = {
  /** TCP port of the HTTP server (chat-service's STOMP endpoint `/ws` too); 0 picks a free one (tests). */
  PORT: envInt(0, 65535),
  /** Interface to listen on: loopback by default; a container sets 0.0.0.0 (compose.yaml). */
  HOST: z.string().min(1),
  /** Public base URL of this service, used in the OpenAPI `servers` entry and Swagger UI. */
  PUBLIC_URL: z.url(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** How long graceful shutdown waits for in-flight requests before closing anyway. */
  SHUTDOWN_GRACE_MS: envInt(0, 120_000),
};

/** The service's Postgres database (see `databaseOptions` in @echopulse/service-kit/db). */
export const databaseConfigShape = {
  DATABASE_HOST: z.string().min(1),
  DATABASE_PORT: envInt(1, 65535),
  DATABASE_USER: z.string().min(1),
  /** Secret. */
  DATABASE_PASSWORD: z.string().min(1),
  DATABASE_NAME: z.string().min(1),
  DATABASE_POOL_SIZE: envInt(1, 100),
  /** Postgres schema of every table (tests give each suite its own). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
};

/** Redis, and the prefix of the service's keys. */
export const redisConfigShape = {
  REDIS_URL: z.string().regex(/^rediss?:\/\//),
  /** Prefix of every Redis key and pub/sub channel of the service (tests use a unique one per run). */
  REDIS_KEY_PREFIX: z.string().min(1),
};

/** Kafka, and server-service's events topic (written by its outbox relay, read by chat-service). */
export const kafkaConfigShape = {
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) => s.split(',').map((b) => b.trim())),
  KAFKA_CLIENT_ID: z.string().min(1),
  /** server-service's events: its outbox relay publishes them, chat-service projects them. */
  SERVER_EVENTS_TOPIC: kafkaTopic(),
};

/** Keycloak, which signs the access tokens both services verify. */
export const keycloakConfigShape = {
  /** The realm's issuer; tokens must carry exactly this `iss`. */
  KEYCLOAK_ISSUER: z.url(),
  /** Issuer as the browser reaches it (Swagger UI's login); defaults to KEYCLOAK_ISSUER. */
  KEYCLOAK_PUBLIC_ISSUER: z.url().optional(),
  /**
   * Where the realm's signing keys are fetched when the issuer's URL is not reachable from here
   * (containers: the issuer is the browser's localhost); default: the issuer's OIDC discovery.
   */
  KEYCLOAK_JWKS_URI: z.url().optional(),
  /** This service's audience in access tokens. */
  KEYCLOAK_AUDIENCE: z.string().min(1),
  /** Public client Swagger UI logs in with (authorization code + PKCE). */
  KEYCLOAK_DOCS_CLIENT_ID: z.string().min(1),
  /** Snowflake worker id of this instance, unique among running instances (0–1023). */
  WORKER_ID: envInt(0, 1023),
};

/**
 * Development defaults both services share: the local servers of `npm run infra:up`. Each
 * service adds its own (port, database name, audience, …); production sets everything.
 */
export const sharedDevDefaults = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  SHUTDOWN_GRACE_MS: '10000',
  DATABASE_HOST: '127.0.0.1',
  DATABASE_PORT: '5432',
  DATABASE_USER: 'echopulse',
  DATABASE_PASSWORD: 'echopulse',
  DATABASE_SCHEMA: 'public',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  SERVER_EVENTS_TOPIC: 'server.events',
  KEYCLOAK_ISSUER: 'http://127.0.0.1:8180/realms/echopulse',
  KEYCLOAK_DOCS_CLIENT_ID: 'web-vue',
  WORKER_ID: '1',
} as const;

/** Variables production must set to something other than their dev default. */
export const sharedSecrets = ['DATABASE_PASSWORD'] as const;

/**
 * A service's config from its shape (these fragments and its own variables) and dev defaults:
 * `configKeys`, every variable it reads (deployment files are checked against it), and
 * `readConfig`, which reads the environment once (the service's only reader of `process.env`),
 * validated and frozen. Outside production every variable has a dev default; production must set
 * them all and may not use the dev database password.
 */
export function serviceConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  devDefaults: Partial<Record<Extract<keyof Shape, string>, string>>,
) {
  const secrets = sharedSecrets.filter((key) => key in shape) as Extract<keyof Shape, string>[];
  return {
    configKeys: Object.keys(shape),
    readConfig: (env: NodeJS.ProcessEnv = process.env) =>
      loadConfig(shape, { env, devDefaults, secrets }),
  };
}
