import 'reflect-metadata';
import type { Server } from 'node:http';
import { HEADERS } from '@echopulse/chat-contracts';
import {
  closeHttpServer,
  createJwtVerifier,
  listen,
  SnowflakeGenerator,
  type Logger,
} from '@echopulse/service-kit';
import { databaseOptions } from '@echopulse/service-kit/db';
import { RedisRelay } from '@echopulse/stomp-broker';
import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { AccessChangeListener, AccessRepository, AccessService } from './access';
import { createApp } from './app';
import type { Config } from './config';
import { createDataSource, pgClientConfig } from './db/data-source';
import { Gateway } from './gateway/gateway';
import { GuildDispatcher } from './guild-events/guild-dispatcher';
import { guildChange } from './guild-events/guild-events';
import { ArchiveRepository } from './history/archive.repository';
import { HistoryReader } from './history/history.reader';
import { RedisHistory } from './history/redis-history';
import { ChatConsumer } from './pipeline/chat-consumer';
import { ChatProducer } from './pipeline/chat-producer';
import { channelTopic, Fanout } from './pipeline/fanout';
import { MessageService } from './messages/message.service';
import { SendLimits } from './messages/send-limits';
import { changeMaker } from './messages/message-changes';
import { Sequencer } from './sequencing/sequencer';
import { SequencerRouter } from './sequencing/sequencer-router';
import { SequencingRepository } from './sequencing/sequencing.repository';
import { PresenceService } from './presence/presence.service';
import { PresenceStore } from './presence/presence.store';
import { createProjection, guildIdOf } from './projection';
import { PurgeRepository, RedisPurgeRepository } from './purge/purge.repository';
import { PurgeWorker } from './purge/purge.worker';
import { ReactionRepository } from './reactions/reaction.repository';
import { ReactionService } from './reactions/reaction.service';
import { ReadStateRepository } from './read-states/read-state.repository';

/** A running chat-service: HTTP + STOMP on one port, its consumers, and how to stop it. */
export interface ChatService {
  server: Server;
  port: number;
  gateway: Gateway;
  stop(): Promise<void>;
}

/**
 * Wires and starts everything (chat-service/README.md "How it works"): Postgres (migrations at start), Redis, the
 * projection of server.events, access changes, the chat.messages producer, the fan-out and
 * archiver consumers, the STOMP gateway and the HTTP app, in the order that lets each depend on
 * the ones before. Stopping reverses it.
 */
export async function startChatService(config: Config, logger: Logger): Promise<ChatService> {
  const dbOptions = databaseOptions(config);
  const source = createDataSource(dbOptions);
  await source.initialize();
  await source.query(`CREATE SCHEMA IF NOT EXISTS "${config.DATABASE_SCHEMA}"`);
  for (const m of await source.runMigrations({ transaction: 'each' })) {
    logger.info({ migration: m.name }, 'migration applied');
  }

  const redis: RedisClientType = createClient({ url: config.REDIS_URL });
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  await redis.connect();

  const changes = new AccessChangeListener({ pg: pgClientConfig(dbOptions), logger });
  await changes.start();
  const access = new AccessService(new AccessRepository(source), { changes, cacheTtlMs: 30_000 });
  const guildEvents = new GuildDispatcher({
    redis,
    prefix: config.REDIS_KEY_PREFIX,
    guildsOf: (userId) => access.guildsOf(userId),
    logger: logger.child({ component: 'guild-events' }),
  });
  // The instance that applies a server event publishes what changed; every instance tells its
  // own sessions (guild-events/guild-dispatcher.ts).
  const projection = createProjection(config, source, logger, {
    onApplied: async ({ event, result, offset }) => {
      const guildId = guildIdOf(event);
      const { before, after } = result.states ?? {};
      await guildEvents.publish(guildChange(guildId, offset, event.type, before, after));
    },
  });
  await projection.start();

  const producer = new ChatProducer({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    topic: config.CHAT_MESSAGES_TOPIC,
    partitions: config.CHAT_MESSAGES_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    logger,
  });
  await producer.start();

  const cache = new RedisHistory(redis, {
    prefix: config.REDIS_KEY_PREFIX,
    size: config.HISTORY_CACHE_SIZE,
    ttlSeconds: config.HISTORY_CACHE_TTL_SECONDS,
  });
  const archive = new ArchiveRepository(source);
  const history = new HistoryReader(cache, archive);
  const instanceId = randomUUID();
  const sequencer: Sequencer = new Sequencer(
    new SequencingRepository(source),
    new SnowflakeGenerator(config.WORKER_ID),
    (key, records) => producer.send(key, records),
    changeMaker(history, (messageId) => sequencer.byId(messageId)),
    {
      onOwned: (channelId) => router.owned(channelId),
      onReleased: (channelId) => router.released(channelId),
      lingerMs: 3,
    },
  );
  const router = new SequencerRouter(sequencer, {
    redis,
    prefix: config.REDIS_KEY_PREFIX,
    instanceId,
    sequencers: config.SEQUENCER_INSTANCES,
    logger: logger.child({ component: 'sequencer' }),
  });
  await router.start();
  const messages = new MessageService(
    access,
    new SendLimits(redis, {
      prefix: config.REDIS_KEY_PREFIX,
      limit: config.RATE_LIMIT_MESSAGES,
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    }),
    router,
    history,
    logger,
  );
  const readStates = new ReadStateRepository(source);
  // Reaction events go out as typing does, through the broker's Redis relay to every instance's
  // subscribers (chat-service/README.md "Reactions"); `gateway` exists by the first request.
  const reactions = new ReactionService(
    access,
    // as edits look a message up: the archive, Redis, and the sequencer's record of a new one
    async (channelId, messageId) =>
      history.byId(channelId, messageId, await router.byId(messageId)),
    new ReactionRepository(source),
    (channelId, { event, body }) =>
      gateway.broker.publish(channelTopic(channelId), JSON.stringify(body), [
        ['content-type', 'application/json'],
        [HEADERS.event, event],
      ]),
  );
  const verifier = createJwtVerifier({
    issuer: config.KEYCLOAK_ISSUER,
    audience: config.KEYCLOAK_AUDIENCE,
    ...(config.KEYCLOAK_JWKS_URI ? { jwksUri: config.KEYCLOAK_JWKS_URI } : {}),
    logger,
  });
  const relay = new RedisRelay({
    url: config.REDIS_URL,
    channel: `${config.REDIS_KEY_PREFIX}stomp-relay`,
    onError: (error) => logger.warn({ err: error }, 'stomp relay error'),
  });
  const gateway = new Gateway({
    verifier,
    access,
    messages,
    history,
    reactions,
    readStates,
    relay,
    logger: logger.child({ component: 'gateway' }),
    heartbeatMs: config.STOMP_HEARTBEAT_MS,
    tokenExpiryWarningMs: config.TOKEN_EXPIRY_WARNING_SECONDS * 1000,
    maxPendingPerAddress: config.WS_MAX_PENDING_PER_IP,
    trustedProxies: config.TRUSTED_PROXIES,
    presence: (broker) =>
      new PresenceService(
        broker,
        new PresenceStore(
          redis,
          config.REDIS_KEY_PREFIX,
          config.PRESENCE_HEARTBEAT_SECONDS * 2000 + 5000,
        ),
        access,
        logger,
        config.PRESENCE_HEARTBEAT_SECONDS * 1000,
      ),
  });
  changes.onResync(() => {
    gateway.revoke('all').then(
      (ended) => ended && logger.info({ ended }, 'subscriptions ended after an access resync'),
      (error: unknown) => logger.error({ err: error }, 'access resync failed'),
    );
  });
  const purges = new PurgeRepository(source);
  changes.subscribe((change) => {
    if (change.cause === 'channel.deleted' || change.cause === 'guild.deleted') {
      // Let go of deleted channels now: their purge waits for the sequencing lock.
      purges.deletedAmong(sequencer.ownedChannels).then(
        (deleted) => deleted.forEach((channelId) => sequencer.letGo(channelId)),
        (error: unknown) =>
          logger.warn({ err: error, change }, 'could not let deleted channels go'),
      );
    }
    gateway.revoke(change).then(
      (ended) => ended && logger.info({ change, ended }, 'subscriptions ended by an access change'),
      (error: unknown) => logger.error({ err: error, change }, 'revocation failed'),
    );
  });

  // Each instance delivers from its own group, reading from now on; the archiver group is shared.
  const fanout = new ChatConsumer({
    kafka: producer.kafka,
    topic: config.CHAT_MESSAGES_TOPIC,
    groupId: `${config.KAFKA_GROUP_PREFIX}fanout.${instanceId}`,
    fromBeginning: false,
    // A few ms of batching under load: much less work per record, and a long poll when idle.
    fetch: { pauseMs: 4 },
    logger,
    handle: new Fanout(gateway.broker, cache, logger).handle,
  });
  const archiver = config.ARCHIVER_ENABLED
    ? new ChatConsumer({
        kafka: producer.kafka,
        topic: config.CHAT_MESSAGES_TOPIC,
        groupId: `${config.KAFKA_GROUP_PREFIX}archiver`,
        fromBeginning: true,
        // The archive is not on the delivery path: large batches, few statements.
        fetch: { minBytes: 1024 * 1024, maxWaitMs: 250 },
        logger,
        handle: (records) => archive.apply(records),
      })
    : undefined;
  await fanout.start();
  await archiver?.start();
  const purge = new PurgeWorker(
    purges,
    new RedisPurgeRepository(redis, cache, {
      prefix: config.REDIS_KEY_PREFIX,
      tombstoneSeconds: config.HISTORY_CACHE_TTL_SECONDS,
    }),
    {
      batchSize: config.PURGE_BATCH_SIZE,
      intervalMs: config.PURGE_INTERVAL_MS,
      logger: logger.child({ component: 'purge' }),
    },
  );
  purge.start();
  if (!(await fanout.waitJoined()))
    logger.warn('the fan-out consumer has not joined its group yet');

  const nonceSweep = setInterval(() => {
    sequencer
      .expireNonces(config.NONCE_TTL_SECONDS)
      .catch((error: unknown) => logger.warn({ err: error }, 'nonce expiry failed'));
  }, 60_000);
  nonceSweep.unref();

  let shuttingDown = false;
  const app = createApp({
    config,
    logger,
    verifier,
    access,
    history,
    reactions,
    readStates,
    presence: gateway.presence,
    isShuttingDown: () => shuttingDown,
    healthChecks: {
      postgres: async () => (await source.query('SELECT 1'), { ok: true }),
      redis: async () => ({ ok: (await redis.ping()) === 'PONG' }),
      kafka: async () => ({
        ok: producer.connected && fanout.joined,
        ...(fanout.joined ? {} : { detail: 'fan-out consumer not in its group' }),
      }),
      projection: async () => ({ ok: projection.ready }),
    },
  });
  const server = await listen(app, config.PORT, config.HOST);
  await guildEvents.start(gateway.broker);
  await gateway.broker.attach(server);
  gateway.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;

  return {
    server,
    port,
    gateway,
    async stop() {
      shuttingDown = true;
      clearInterval(nonceSweep);
      await gateway.stop(config.SHUTDOWN_GRACE_MS);
      await guildEvents.stop();
      await closeHttpServer(server, config.SHUTDOWN_GRACE_MS);
      await purge.stop();
      await sequencer.stop(); // lets its channels go, so the other instances take them at once
      await router.stop();
      await fanout.stop();
      await archiver?.stop();
      await producer.stop();
      await projection.stop();
      await changes.stop();
      await redis.quit().catch(() => undefined);
      await source.destroy();
    },
  };
}
