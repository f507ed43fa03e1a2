import { parseServerEvent, ServerEventError, type ServerEvent } from '@echopulse/guild-contracts';
import type { Logger } from '@echopulse/service-kit';
import { ensureTopic, kafkaLogCreator } from '@echopulse/service-kit/kafka';
import { Kafka, logLevel, type Consumer, type KafkaConfig } from 'kafkajs';
import type { ApplyResult, Projector } from './projector';

/**
 * Partitions of the server events topic when chat-service has to create it: the same as
 * server-service's relay creates (OUTBOX_TOPIC_PARTITIONS' default), so whichever service starts
 * first, the topic looks the same.
 */
export const SERVER_EVENTS_PARTITIONS = 6;

export interface ProjectionConsumerOptions {
  kafka: KafkaConfig;
  topic: string;
  groupId: string;
  /** Partitions and replication factor if the topic has to be created. */
  partitions: number;
  replicationFactor: number;
  projector: Projector;
  logger: Logger;
  /**
   * Events not to apply (a rebuild: those a guild snapshot already includes). Answered
   * `covered`, with nothing written.
   */
  skip?: (event: ServerEvent, partition: number, offset: string) => boolean;
  /** Called after each record is handled (applied, duplicate, ignored or malformed); tests await it. */
  onRecord?: (record: HandledRecord) => void;
  /**
   * Awaited after each applied event, before the next record of its partition and before its
   * offset is committed (guild events: they go out in the order of the partition). It should not
   * throw: the record would be retried, and its apply then answers `duplicate`, with no call.
   */
  onApplied?: (
    record: HandledRecord & { result: ApplyResult; event: ServerEvent },
  ) => Promise<void>;
}

export interface HandledRecord {
  partition: number;
  offset: string;
  /**
   * The apply result, `malformed` when the record was not a usable server event, `rejected` when
   * the database refused it, `covered` when `skip` said a snapshot already holds it.
   */
  result: ApplyResult | 'malformed' | 'rejected' | 'covered';
  event?: ServerEvent;
}

/**
 * SQLSTATE classes of errors the same event would meet again: data exceptions and integrity
 * violations. Others (connection loss, a missing table) are retried: skipping would lose events.
 */
const PERMANENT_SQLSTATE = /^(22|23)/;

/**
 * Consumes server events into the projection. Each record is applied in its own transaction
 * before kafkajs resolves (and later commits) its offset; the apply is idempotent, so a
 * redelivery after a crash between commit and offset commit changes nothing. A record that is not
 * a server event this code understands, or that the database refuses as data, is logged and
 * skipped, never retried forever; a database outage is retried (kafkajs backs off and restarts).
 */
export class ProjectionConsumer {
  private readonly kafka: Kafka;
  private consumer: Consumer | undefined;
  private joined = false;
  private running = false;

  constructor(private readonly options: ProjectionConsumerOptions) {
    this.kafka = new Kafka({
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(options.logger),
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
      ...options.kafka,
    });
  }

  /** True while the consumer is in its group and consuming (for /health/ready). */
  get ready(): boolean {
    return this.running && this.joined;
  }

  async start(): Promise<void> {
    const { topic, groupId, partitions, replicationFactor, logger } = this.options;
    // Listed first, created only when missing: a normal start logs no kafkajs errors.
    await ensureTopic(this.kafka, { topic, partitions, replicationFactor }, logger);
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // An idle fetch returns after 1 s rather than 5 s, so stop() (which waits for it) is quick.
      maxWaitTimeInMs: 1000,
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = false;
      logger.error(
        { err: e.payload.error, restart: e.payload.restart },
        'projection consumer crashed',
      );
    });
    consumer.on(consumer.events.STOP, () => {
      this.joined = false;
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    this.running = true;
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const record = await this.handle(partition, message.offset, message.value);
        if (this.options.onApplied && record.event && typeof record.result === 'object') {
          if (record.result.status === 'applied') {
            await this.options.onApplied({ ...record, result: record.result, event: record.event });
          }
        }
        this.options.onRecord?.(record);
      },
    });
    logger.info({ topic, groupId }, 'projection consumer started');
  }

  async stop(): Promise<void> {
    this.running = false;
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.disconnect();
  }

  /**
   * Records the group has not consumed yet, summed over the topic's partitions (high watermark
   * minus committed offset; a partition without a committed offset counts from its low watermark).
   */
  async lag(): Promise<number> {
    return groupLag(this.kafka, this.options.groupId, this.options.topic);
  }

  private async handle(
    partition: number,
    offset: string,
    value: Buffer | null,
  ): Promise<HandledRecord> {
    const { projector, logger } = this.options;
    let event: ServerEvent;
    try {
      event = parseServerEvent(value);
    } catch (error) {
      if (!(error instanceof ServerEventError)) throw error;
      logger.warn(
        { partition, offset, reason: error.reason, err: error.message },
        'skipped a record that is not a usable server event',
      );
      return { partition, offset, result: 'malformed' };
    }
    if (this.options.skip?.(event, partition, offset)) {
      return { partition, offset, result: 'covered', event };
    }
    try {
      const result = await projector.apply(event);
      logger.debug({ eventId: event.id, type: event.type, status: result.status }, 'server event');
      return { partition, offset, result, event };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && PERMANENT_SQLSTATE.test(code)) {
        // Retrying would fail the same way and stall every later event of the partition.
        logger.error(
          { partition, offset, eventId: event.id, type: event.type, code, err: error },
          'the projection refused a server event; skipped',
        );
        return { partition, offset, result: 'rejected', event };
      }
      throw error;
    }
  }
}

/** The group's lag on a topic (see ProjectionConsumer.lag). */
export async function groupLag(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const byPartition = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]),
    );
    let lag = 0n;
    for (const end of ends) {
      const high = BigInt(end.high);
      const from = byPartition.get(end.partition) ?? -1n;
      const start = from >= 0n ? from : BigInt(end.low);
      if (high > start) lag += high - start;
    }
    return Number(lag);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
