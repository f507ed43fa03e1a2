import 'reflect-metadata';
import {
  closeHttpServer,
  createJwtVerifier,
  createLogger,
  listen,
  runMain,
  SnowflakeGenerator,
  stopOnSignals,
} from '@echopulse/service-kit';
import { databaseOptions } from '@echopulse/service-kit/db';
import { createClient } from 'redis';
import { createApp } from './app';
import { readConfig } from './config';
import { Database } from './db/database';
import { createDataSource } from './db/data-source';
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
  const source = createDataSource(databaseOptions(config));
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

  const server = await listen(app, config.PORT, config.HOST);
  relay?.start();
  logger.info({ port: config.PORT, docs: `${config.PUBLIC_URL}/docs` }, 'server-service listening');

  stopOnSignals(logger, async () => {
    shuttingDown = true;
    await closeHttpServer(server, config.SHUTDOWN_GRACE_MS);
    await relay?.stop();
    await redis.quit().catch(() => undefined);
    await source.destroy();
    logger.info('stopped');
  });
}

runMain(main);
