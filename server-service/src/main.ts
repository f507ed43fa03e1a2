import 'reflect-metadata';
import type { Server } from 'node:http';
import { createJwtVerifier, createLogger, SnowflakeGenerator } from '@echopulse/service-kit';
import { createClient } from 'redis';
import { createApp } from './app';
import { readConfig } from './config';
import { Database } from './db/database';
import { createDataSource, type DatabaseOptions } from './db/data-source';
import { createOutboxRelay, OutboxWriter, type OutboxRelay } from './outbox';
import { relayHealthCheck } from './health/relay-health';

/**
 * Starts server-service: configuration, Postgres (migrations run at start), Redis, the outbox
 * relay to Kafka, then HTTP. SIGTERM/SIGINT stop it gracefully: readiness turns 503, the server
 * stops accepting and drains in-flight requests (bounded by SHUTDOWN_GRACE_MS), the relay stops,
 * and the pools close.
 */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('server-service', config.LOG_LEVEL);
  const dbOptions: DatabaseOptions = {
    host: config.DATABASE_HOST,
    port: config.DATABASE_PORT,
    username: config.DATABASE_USER,
    password: config.DATABASE_PASSWORD,
    database: config.DATABASE_NAME,
    poolSize: config.DATABASE_POOL_SIZE,
    schema: config.DATABASE_SCHEMA,
  };
  const source = createDataSource(dbOptions);
  await source.initialize();
  const applied = await source.runMigrations({ transaction: 'each' });
  for (const m of applied) logger.info({ migration: m.name }, 'migration applied');

  const redis = createClient({ url: config.REDIS_URL });
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  await redis.connect();

  const outbox = new OutboxWriter();
  const relay: OutboxRelay | undefined = config.OUTBOX_RELAY_ENABLED
    ? createOutboxRelay(config, logger)
    : undefined;
  let shuttingDown = false;
  const app = createApp({
    config,
    logger,
    db: new Database(source, (manager, event) => outbox.append(manager, event)),
    redis,
    verifier: createJwtVerifier({
      issuer: config.KEYCLOAK_ISSUER,
      audience: config.KEYCLOAK_AUDIENCE,
      ...(config.KEYCLOAK_JWKS_URI ? { jwksUri: config.KEYCLOAK_JWKS_URI } : {}),
      logger,
    }),
    ids: new SnowflakeGenerator(config.WORKER_ID),
    isShuttingDown: () => shuttingDown,
    extraHealthChecks: relay ? { kafka: relayHealthCheck(relay) } : {},
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  relay?.start();
  logger.info({ port: config.PORT, docs: `${config.PUBLIC_URL}/docs` }, 'server-service listening');

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const grace = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(grace);
    await relay?.stop();
    await redis.quit().catch(() => undefined);
    await source.destroy();
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
