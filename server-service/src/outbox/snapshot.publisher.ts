import { GUILD_SNAPSHOTS_TOPIC_CONFIG, type GuildStateSnapshot } from '@echopulse/guild-contracts';
import type { Logger } from '@echopulse/service-kit';
import { ensureTopic, kafkaLogCreator } from '@echopulse/service-kit/kafka';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type KafkaConfig,
  type Producer,
} from 'kafkajs';
import type { OutboxConnection } from './outbox.repository';

export interface SnapshotPublisherOptions {
  kafka: KafkaConfig;
  /** The compacted topic of guild states (GUILD_SNAPSHOTS_TOPIC). */
  topic: string;
  /** The server events topic, whose offsets each snapshot records. */
  eventsTopic: string;
  partitions: number;
  replicationFactor: number;
  logger: Logger;
}

/** Guilds per snapshot request (and per page when every guild is written). */
const PAGE = 200;

/**
 * Writes guild states to the compacted guild snapshots topic (key = guild id; a null value, a
 * tombstone, for a deleted guild). Each snapshot records the server events topic's end offsets
 * taken BEFORE its state was read: every event below them was published, hence committed, hence
 * in the state. A consumer that rebuilds from the snapshots skips the guild's events below those
 * offsets and applies the rest.
 */
export class SnapshotPublisher {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  /** Kept connected: every batch asks for the events topic's offsets. */
  private admin: Admin | undefined;

  constructor(private readonly options: SnapshotPublisherOptions) {
    this.kafka = new Kafka({
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(options.logger, ['Limiting retries for the idempotent producer']),
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      ...options.kafka,
    });
  }

  /**
   * Creates the topic (or brings its settings in line) and connects. Answers true when the topic
   * holds no snapshot yet: the caller then writes every guild's (`publishAll`).
   */
  async prepare(): Promise<boolean> {
    const { topic, partitions, replicationFactor, logger } = this.options;
    const created = await ensureTopic(
      this.kafka,
      { topic, partitions, replicationFactor, config: { ...GUILD_SNAPSHOTS_TOPIC_CONFIG } },
      logger,
    );
    await this.ready();
    if (created) return true;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.every((o) => BigInt(o.high) === 0n);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async ready(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2000 },
    });
    await producer.connect();
    this.producer = producer;
    const admin = this.kafka.admin();
    await admin.connect();
    this.admin = admin;
    return producer;
  }

  /** The events topic's end offset per partition, now. */
  private async eventOffsets(): Promise<Record<string, string>> {
    await this.ready();
    const offsets = await this.admin!.fetchTopicOffsets(this.options.eventsTopic);
    return Object.fromEntries(offsets.map((o) => [String(o.partition), o.high]));
  }

  /** Writes the current state of these guilds (after their events were published). */
  async publish(guildIds: readonly string[], connection: OutboxConnection): Promise<void> {
    const unique = [...new Set(guildIds)];
    for (let i = 0; i < unique.length; i += PAGE) {
      const page = unique.slice(i, i + PAGE);
      try {
        const eventOffsets = await this.eventOffsets();
        const states = await connection.guildStates(page);
        const producer = await this.ready();
        await producer.send({
          topic: this.options.topic,
          acks: -1,
          messages: page.map((guildId) => {
            const state = states.get(guildId) ?? null;
            const snapshot: GuildStateSnapshot | null = state && { ...state, eventOffsets };
            return { key: guildId, value: snapshot && JSON.stringify(snapshot) };
          }),
        });
      } catch (error) {
        await this.reset();
        throw error;
      }
    }
  }

  /** Writes every guild's snapshot (the topic was new or empty). */
  async publishAll(connection: OutboxConnection): Promise<number> {
    let after = '0';
    let total = 0;
    for (;;) {
      const ids = await connection.guildIds(after, PAGE);
      if (!ids.length) break;
      await this.publish(ids, connection);
      total += ids.length;
      after = ids[ids.length - 1]!;
    }
    this.options.logger.info(
      { topic: this.options.topic, guilds: total },
      'wrote a snapshot of every guild',
    );
    return total;
  }

  private async reset(): Promise<void> {
    const { producer, admin } = this;
    this.producer = undefined;
    this.admin = undefined;
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.reset();
  }
}
