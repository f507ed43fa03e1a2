import { loadConfig } from '@echopulse/service-kit';
import { z } from 'zod';
import { outboxConfigShape, outboxDevDefaults } from './outbox/outbox.config';

/** Integers from environment strings. */
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const shape = {
  /** TCP port of the HTTP server; 0 picks a free one (tests). */
  PORT: int(0, 65535),
  /** Interface to listen on: loopback by default; a container sets 0.0.0.0 (compose.yaml). */
  HOST: z.string().min(1),
  /** Public base URL of this service, used in the OpenAPI `servers` entry and Swagger UI. */
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
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) => s.split(',').map((b) => b.trim())),
  KAFKA_CLIENT_ID: z.string().min(1),
  /** Topic the outbox relay publishes server events to. */
  SERVER_EVENTS_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/),
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
  WORKER_ID: int(0, 1023),
  /** Writes (POST/PUT/PATCH/DELETE) a user may make per window. */
  RATE_LIMIT_WRITES: int(1, 1_000_000),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 3600),
  /** Prefix of this service's Redis keys (tests use a unique one per run). */
  REDIS_KEY_PREFIX: z.string().min(1),
  /** How long graceful shutdown waits for in-flight requests before closing anyway. */
  SHUTDOWN_GRACE_MS: int(0, 120_000),
  /** The outbox relay's settings (OUTBOX_*), see src/outbox/outbox.config.ts. */
  ...outboxConfigShape,
};

export type Config = ReturnType<typeof readConfig>;

/** Every variable the service reads (deployment files are checked against it). */
export const configKeys = Object.keys(shape);

/** Development defaults: the local infrastructure of `npm run infra:up`. Production sets everything. */
export const devDefaults = {
  PORT: '8081',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'http://localhost:8081',
  LOG_LEVEL: 'info',
  DATABASE_HOST: '127.0.0.1',
  DATABASE_PORT: '5432',
  DATABASE_USER: 'echopulse',
  DATABASE_PASSWORD: 'echopulse',
  DATABASE_NAME: 'echopulse_server',
  DATABASE_POOL_SIZE: '10',
  DATABASE_SCHEMA: 'public',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_CLIENT_ID: 'server-service',
  SERVER_EVENTS_TOPIC: 'server.events',
  KEYCLOAK_ISSUER: 'http://127.0.0.1:8180/realms/echopulse',
  KEYCLOAK_AUDIENCE: 'server-service',
  KEYCLOAK_DOCS_CLIENT_ID: 'web-vue',
  WORKER_ID: '1',
  RATE_LIMIT_WRITES: '120',
  RATE_LIMIT_WINDOW_SECONDS: '60',
  REDIS_KEY_PREFIX: 'server-service:',
  SHUTDOWN_GRACE_MS: '10000',
  ...outboxDevDefaults,
} as const;

/**
 * The service's configuration, read once from the environment (the only reader of
 * `process.env`), validated and frozen. Outside production every variable has a dev default;
 * production must set them all and may not use the dev database password.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(shape, { env, devDefaults, secrets: ['DATABASE_PASSWORD'] });
}
