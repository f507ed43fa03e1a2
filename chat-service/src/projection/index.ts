import type { Logger } from '@echopulse/service-kit';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import {
  ProjectionConsumer,
  SERVER_EVENTS_PARTITIONS,
  type ProjectionConsumerOptions,
} from './projection.consumer';
import { Projector } from './projector';

export {
  Projector,
  ACCESS_CHANNEL,
  guildIdOf,
  type ApplyResult,
  type ProjectorOptions,
} from './projector';
export {
  ProjectionConsumer,
  SERVER_EVENTS_PARTITIONS,
  groupLag,
  type HandledRecord,
  type ProjectionConsumerOptions,
} from './projection.consumer';
export {
  rebuildProjection,
  PROJECTION_TABLES,
  type RebuildOptions,
  type RebuildResult,
} from './rebuild';

/** The settings the projection reads from chat-service's config. */
export type ProjectionConfig = Pick<
  Config,
  | 'KAFKA_BROKERS'
  | 'KAFKA_CLIENT_ID'
  | 'KAFKA_GROUP_PREFIX'
  | 'KAFKA_REPLICATION_FACTOR'
  | 'SERVER_EVENTS_TOPIC'
>;

/** The running projection, for main.ts (start/stop) and /health/ready (`ready`, `lag`). */
export interface Projection {
  readonly projector: Projector;
  readonly consumer: ProjectionConsumer;
  /** True while the consumer is in its group and consuming. */
  readonly ready: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  lag(): Promise<number>;
}

/**
 * The projection of `server.events` into this service's tables: consumer group
 * `${KAFKA_GROUP_PREFIX}projection`, from the beginning of the topic on first start.
 */
export function createProjection(
  config: ProjectionConfig,
  dataSource: DataSource,
  logger: Logger,
  options: Pick<ProjectionConsumerOptions, 'onRecord' | 'onApplied'> = {},
): Projection {
  const log = logger.child({ component: 'projection' });
  // Guild events need each applied event's before and after (see guild-events/).
  const projector = new Projector(dataSource, log, { captureState: !!options.onApplied });
  const consumer = new ProjectionConsumer({
    kafka: { clientId: `${config.KAFKA_CLIENT_ID}-projection`, brokers: config.KAFKA_BROKERS },
    topic: config.SERVER_EVENTS_TOPIC,
    groupId: `${config.KAFKA_GROUP_PREFIX}projection`,
    partitions: SERVER_EVENTS_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    projector,
    logger: log,
    ...options,
  });
  return {
    projector,
    consumer,
    get ready() {
      return consumer.ready;
    },
    start: () => consumer.start(),
    stop: () => consumer.stop(),
    lag: () => consumer.lag(),
  };
}
