import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { endpoints } from '@echopulse/infra';
import {
  closeHttpServer,
  createJwtVerifier,
  createLogger,
  listen,
  SnowflakeGenerator,
} from '@echopulse/service-kit';
import { createClient } from 'redis';
import { dropSchema, migratedDataSource as migrated } from '@echopulse/service-kit/db';
import { databaseForSuite } from '@echopulse/infra/testing';
import type { DataSource } from 'typeorm';
import { createApp } from '../app';
import { Database } from '../db/database';
import { createDataSource, type DatabaseOptions } from '../db/data-source';
import { OutboxWriter } from '../outbox/outbox.writer';

export interface TestApp {
  baseUrl: string;
  source: DataSource;
  db: DatabaseOptions;
  redisPrefix: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Writes per user and window (default: plenty, so only the rate-limit test meets the limit). */
  rateLimitWrites?: number;
  rateLimitWindowSeconds?: number;
}

/** A schema of its own in echopulse_server_test for each suite, so parallel suites never meet. */
export const testDatabaseOptions = (): DatabaseOptions => databaseForSuite('echopulse_server_test');

/** Creates the suite's schema and runs every migration in it. */
export const migratedDataSource = (db: DatabaseOptions): Promise<DataSource> =>
  migrated(createDataSource, db);

export { dropSchema };

/**
 * The real app on an ephemeral port, over the real Postgres (a fresh schema, migrated), Redis
 * (a unique key prefix) and Keycloak (the real JWKS). Events go to the outbox table; suites that
 * check Kafka start the relay themselves.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = testDatabaseOptions();
  const source = await migratedDataSource(db);
  const redis = createClient({ url: endpoints.redis.url });
  await redis.connect();
  const redisPrefix = `server-service-test:${db.schema}:`;
  const outbox = new OutboxWriter();
  const app = createApp({
    config: {
      RATE_LIMIT_WRITES: options.rateLimitWrites ?? 100_000,
      RATE_LIMIT_WINDOW_SECONDS: options.rateLimitWindowSeconds ?? 60,
      REDIS_KEY_PREFIX: redisPrefix,
      KEYCLOAK_ISSUER: endpoints.keycloak.issuer,
      KEYCLOAK_PUBLIC_ISSUER: undefined,
      KEYCLOAK_DOCS_CLIENT_ID: 'web-vue',
    },
    logger: createLogger('server-service-test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    db: new Database(source, (manager, event) => outbox.append(manager, event)),
    redis,
    verifier: createJwtVerifier({ issuer: endpoints.keycloak.issuer, audience: 'server-service' }),
    ids: new SnowflakeGenerator(randomInt(1024)),
  });
  const server = await listen(app, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    source,
    db,
    redisPrefix,
    async close() {
      await closeHttpServer(server, 0); // tests wait for no request
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length) await redis.del(keys);
      await redis.quit();
      await dropSchema(source, db.schema);
      await source.destroy();
    },
  };
}
