import type { Logger } from '@echopulse/service-kit';
import { ensureTopic, kafkaLogCreator } from '@echopulse/service-kit/kafka';
import { Kafka, logLevel, Partitioners, type KafkaConfig, type Producer } from 'kafkajs';
import type { OutboxRow } from './outbox.repository';

/** Where and how the relay publishes. */
export interface EventPublisherOptions {
  /** kafkajs client settings (brokers, clientId, and anything else kafkajs accepts). */
  kafka: KafkaConfig;
  topic: string;
  /** Partitions of the topic when the relay creates it. */
  partitions: number;
  /** Replication factor when the relay creates it (1 on a single broker; 3 in production). */
  replicationFactor: number;
  /** Topic settings (`retention.ms`, …) applied when creating it and kept on an existing one. */
  topicConfig?: Record<string, string>;
  logger: Logger;
}

// Expected: retries are bounded on purpose (the relay retries, with a fresh producer, and delivery
// is at least once by design), so this would only be noise at every reconnect.
const EXPECTED_KAFKAJS_WARNINGS = ['Limiting retries for the idempotent producer'];

/**
 * Publishes outbox rows to the server events topic: an idempotent producer with acks=all and one
 * request in flight, so retries neither duplicate nor reorder within a partition. The message key
 * is the guild id, so a guild's events share a partition and keep their order; the value is the
 * envelope's JSON; headers repeat the CloudEvents attributes for consumers that route on them.
 */
export class EventPublisher {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private topicReady = false;
  connected = false;

  constructor(private readonly options: EventPublisherOptions) {
    this.kafka = new Kafka({
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(options.logger, EXPECTED_KAFKAJS_WARNINGS),
      // Connects and metadata requests give up within about a second; the relay's own capped
      // backoff does the long waiting, logs it, and lets stop() interrupt it.
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      ...options.kafka,
    });
  }

  /**
   * Creates the topic with its explicit partition count unless it exists (auto-creation is off).
   * Existence is checked first: asking Kafka to create a topic that exists makes kafkajs log
   * "Topic creation errors" at error level on every start.
   */
  private async ensureTopic(): Promise<void> {
    if (this.topicReady) return;
    const { topic, partitions, replicationFactor, topicConfig, logger } = this.options;
    await ensureTopic(
      this.kafka,
      { topic, partitions, replicationFactor, ...(topicConfig ? { config: topicConfig } : {}) },
      logger,
    );
    this.topicReady = true;
  }

  /** Creates the topic if missing and connects the producer; publish() does it too when needed. */
  async prepare(): Promise<void> {
    try {
      await this.ready();
    } catch (error) {
      this.connected = false;
      await this.reset();
      throw error;
    }
  }

  private async ready(): Promise<Producer> {
    if (this.producer) return this.producer;
    await this.ensureTopic();
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java's murmur2 partitioner: the same key lands on the same partition for any client.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Fail within seconds and let the relay back off and log, rather than hang in kafkajs.
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2000 },
    });
    await producer.connect();
    this.producer = producer;
    this.connected = true;
    return producer;
  }

  /** Sends the rows in order and resolves once every partition leader and its replicas acknowledged. */
  async publish(rows: readonly OutboxRow[]): Promise<void> {
    try {
      const producer = await this.ready();
      await producer.send({
        topic: this.options.topic,
        acks: -1,
        messages: rows.map((row) => ({
          key: row.guildId,
          value: JSON.stringify(row.envelope),
          headers: {
            ce_specversion: row.envelope.specversion,
            ce_id: row.id,
            ce_type: row.type,
            ce_source: row.envelope.source,
            ce_subject: row.envelope.subject,
            ce_time: row.envelope.time,
            'content-type': 'application/cloudevents+json; charset=utf-8',
          },
        })),
      });
      this.connected = true;
    } catch (error) {
      this.connected = false;
      // A producer that failed mid-request may hold stale sequence numbers; start afresh next time.
      await this.reset();
      throw error;
    }
  }

  /** Drops the producer; the next publish connects a new one. */
  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.reset();
    this.connected = false;
  }
}
