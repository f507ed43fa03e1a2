import { ensureTopic, kafkaLogCreator } from '@echopulse/service-kit/kafka';
import type { Logger } from '@echopulse/service-kit';
import { CompressionTypes, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { ChatRecord } from '../messages/chat-message';

export interface ChatProducerOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  partitions: number;
  replicationFactor: number;
  logger: Logger;
}

/**
 * Produces chat.messages records keyed by channel id (one channel, one partition, one order)
 * with acks=all. Not kafkajs' idempotent mode: the sequencer holds the channel's row lock until
 * the produce is acknowledged, so one channel never has two records in flight, and consumers
 * drop a retried duplicate by its seq.
 */
export class ChatProducer {
  readonly kafka: Kafka;
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  connected = false;

  constructor(private readonly options: ChatProducerOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(options.logger),
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    });
  }

  /** Creates the topic when missing and connects. */
  async start(): Promise<void> {
    await this.ready();
  }

  private ready(): Promise<Producer> {
    if (this.producer && this.connected) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      const { topic, partitions, replicationFactor, logger } = this.options;
      await ensureTopic(this.kafka, { topic, partitions, replicationFactor }, logger);
      const producer = this.kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      });
      producer.on(producer.events.DISCONNECT, () => (this.connected = false));
      await producer.connect();
      this.producer = producer;
      this.connected = true;
      return producer;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /**
   * Resolves once every in-sync replica has the records (acks=all). Sends of one event-loop turn
   * go out together in one request: each channel's records stay in order and contiguous, and a
   * channel never has two sends in flight (the sequencer holds its lock until this resolves), so
   * coalescing channels changes no order — it only saves requests.
   */
  send(channelId: string, records: ChatRecord[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ channelId, records, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => void this.flush());
    });
  }

  private readonly queued: {
    channelId: string;
    records: ChatRecord[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];

  private async flush(): Promise<void> {
    const sends = this.queued.splice(0);
    try {
      const producer = await this.ready();
      await producer.send({
        topic: this.options.topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: sends.flatMap(({ channelId, records }) =>
          records.map((record) => ({
            key: channelId,
            value: JSON.stringify(record),
            headers: { type: record.type },
          })),
        ),
      });
      for (const s of sends) s.resolve();
    } catch (error) {
      for (const s of sends) s.reject(error);
    }
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    this.connected = false;
  }
}
