import {
  databaseConfigShape,
  envInt as int,
  httpConfigShape,
  kafkaConfigShape,
  keycloakConfigShape,
  redisConfigShape,
  serviceConfig,
  sharedDevDefaults,
} from '@echopulse/service-kit';
import { outboxConfigShape, outboxDevDefaults } from './outbox/outbox.config';

const shape = {
  ...httpConfigShape,
  ...databaseConfigShape,
  ...redisConfigShape,
  ...kafkaConfigShape,
  ...keycloakConfigShape,
  /** Writes (POST/PUT/PATCH/DELETE) a user may make per window. */
  RATE_LIMIT_WRITES: int(1, 1_000_000),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 3600),
  /** The outbox relay's settings (OUTBOX_*), see src/outbox/outbox.config.ts. */
  ...outboxConfigShape,
};

/** Development defaults: the local infrastructure of `npm run infra:up`. Production sets everything. */
export const devDefaults = {
  ...sharedDevDefaults,
  PORT: '8081',
  PUBLIC_URL: 'http://localhost:8081',
  DATABASE_NAME: 'echopulse_server',
  DATABASE_POOL_SIZE: '10',
  KAFKA_CLIENT_ID: 'server-service',
  KEYCLOAK_AUDIENCE: 'server-service',
  RATE_LIMIT_WRITES: '120',
  RATE_LIMIT_WINDOW_SECONDS: '60',
  REDIS_KEY_PREFIX: 'server-service:',
  ...outboxDevDefaults,
} as const;

/** The service's configuration: see service-kit's `serviceConfig`. */
export const { configKeys, readConfig } = serviceConfig(shape, devDefaults);

export type Config = ReturnType<typeof readConfig>;
