import type { Logger } from '@echopulse/service-kit';
import type { Consumer, Kafka } from 'kafkajs';
import type { ChatRecord } from '../messages/chat-message';
import { parseChatRecord } from './chat-records';

export interface ChatConsumerOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  /** true: a new group reads the topic from its start (archiver); false: from now (fan-out). */
  fromBeginning: boolean;
  logger: Logger;
  /**
   * How fetches are batched. The broker answers once `minBytes` are there or after `maxWaitMs`
   * (default 1 byte / 250 ms: at once when a record comes, a long poll when idle). `pauseMs`
   * spaces busy fetches: after a batch, the next fetch starts that much later, so records
   * arriving meanwhile come together — fewer fetches and batches under load, at up to pauseMs of
   * delay for them, and no polling when idle.
   */
  fetch?: { minBytes?: number; maxWaitMs?: number; pauseMs?: number };
  /** Records of one partition, in order. Throwing makes kafkajs retry the batch. */
  handle: (records: ChatRecord[]) => Promise<void>;
}

/**
 * A consumer of chat.messages handling whole batches (one Redis pipeline or one SQL statement
 * per batch instead of per record). Partitions are handled concurrently, each in order.
 * Offsets are committed once a second for handled batches: at-least-once, so handlers are
 * idempotent.
 * A record that does not parse is logged and skipped rather than stalling its partition.
 */
export class ChatConsumer {
  private consumer: Consumer | undefined;
  /**
   * True once the group was joined and a fetch has run since: kafkajs resolves a new group's
   * starting offsets ("latest" for the fan-out) in the first fetch after GROUP_JOIN, so only
   * from then on is every later record sure to be read.
   */
  joined = false;
  private assigned = false;

  constructor(private readonly options: ChatConsumerOptions) {}

  async start(): Promise<void> {
    const { kafka, topic, groupId, fromBeginning, logger, handle } = this.options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      minBytes: this.options.fetch?.minBytes ?? 1,
      maxWaitTimeInMs: this.options.fetch?.maxWaitMs ?? 250,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.assigned = true));
    consumer.on(consumer.events.FETCH, () => (this.joined = this.assigned));
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = this.assigned = false;
      logger.error(
        { err: e.payload.error, groupId },
        'chat.messages consumer crashed; it restarts',
      );
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning });
    await consumer.run({
      partitionsConsumedConcurrently: 12,
      // Offsets go to Kafka at most once a second, not after every batch. kafkajs' autoCommit
      // commits after each partition's batch whatever the interval, and waits for it before
      // fetching again: under load that was ~370 commits a second per instance, each a write to
      // __consumer_offsets (~500 MiB of it after a day of benchmarks). After a crash up to a
      // second is read again; the handlers are idempotent.
      autoCommit: false,
      autoCommitInterval: 1000,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        const records: ChatRecord[] = [];
        for (const m of batch.messages) {
          try {
            records.push(parseChatRecord(m.value));
          } catch (error) {
            logger.warn(
              { err: error, partition: batch.partition, offset: m.offset },
              'skipped a malformed chat.messages record',
            );
          }
        }
        if (records.length) await handle(records);
        resolveOffset(batch.lastOffset());
        await commitOffsetsIfNecessary();
        const pauseMs = this.options.fetch?.pauseMs;
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      },
    });
  }

  /** Resolves once the group was joined and its offsets resolved, or after `timeoutMs`. */
  async waitJoined(timeoutMs = 30_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.joined && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return this.joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.joined = this.assigned = false;
  }
}
