import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@echopulse/service-kit';
import { backoffDelay } from '@echopulse/service-kit/backoff';
import type { KafkaConfig } from 'kafkajs';
import type { ClientConfig } from 'pg';
import { EventPublisher } from './event.publisher';
import { OutboxConnection, type OutboxLag, type OutboxRow } from './outbox.repository';
import { SnapshotPublisher } from './snapshot.publisher';

/** `'outbox'` in ASCII: the default advisory lock key that elects the one active relay. */
export const DEFAULT_RELAY_LOCK_KEY = 0x6f7574626f78n;

/** Where a relay is in its life. */
export type RelayStatus = 'stopped' | 'connecting' | 'standby' | 'leader' | 'stopping';

/**
 * Callbacks for observing the relay. `beforePublish` and `afterPublish` exist for the crash tests
 * (a child process kills itself there); production code leaves them out.
 */
export interface OutboxRelayHooks {
  onStatus?(status: RelayStatus): void;
  /** Before a batch goes to Kafka. */
  beforePublish?(rows: readonly OutboxRow[]): void | Promise<void>;
  /** After Kafka acknowledged a batch, before the rows are marked published. */
  afterPublish?(rows: readonly OutboxRow[]): void | Promise<void>;
  /** After a failed publish, before waiting `delayMs`. */
  onRetry?(info: { attempt: number; delayMs: number; error: Error }): void;
}

export interface OutboxRelayOptions {
  /** The relay's own Postgres connection (it is not taken from the app's pool). */
  database: ClientConfig;
  /** kafkajs settings: brokers, clientId, … */
  kafka: KafkaConfig;
  /** Normally SERVER_EVENTS_TOPIC; tests use a topic of their own. */
  topic: string;
  /** Partition count when the relay creates the topic. Default 6. */
  partitions?: number;
  /** Replication factor when the relay creates the topic. Default 1 (one broker). */
  replicationFactor?: number;
  /**
   * How long Kafka keeps the server events (the topic's `retention.ms`, set at creation and kept
   * on an existing topic). Default: leave the topic's setting alone.
   */
  eventsRetentionMs?: number;
  /**
   * The compacted guild snapshots topic: after each batch the relay writes the whole state of
   * every guild in it there (a tombstone for a deleted guild), and every guild's once when the
   * topic is new or empty. Default: no snapshots.
   */
  snapshotTopic?: string;
  /** Rows per Kafka request. Default 500. */
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How often a standby relay tries to take the lock. Default 1000 ms. */
  standbyRetryMs?: number;
  /** Backoff after failures (Kafka or Postgres): doubles from `initialMs` up to `maxMs`. Default 100 ms → 10 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Published rows older than this are deleted. Default 24 h. */
  retentionMs?: number;
  /** How often retention runs. Default 60 s. */
  cleanupIntervalMs?: number;
  /** Rows per DELETE statement, so retention never holds long locks. Default 1000. */
  cleanupBatchSize?: number;
  /** Advisory lock key; relays with the same key (and database) elect one leader. */
  lockKey?: bigint;
  logger: Logger;
  hooks?: OutboxRelayHooks;
}

/** What `/health/ready` needs to know about the relay. */
export interface OutboxRelayHealth {
  status: RelayStatus;
  /** Unpublished rows and the oldest one's age; null when Postgres could not be asked. */
  lag: OutboxLag | null;
  kafka: {
    /** The producer's last connect or send succeeded (only a leader has a producer). */
    connected: boolean;
    /** Publish failures since the last success. */
    consecutiveFailures: number;
    lastError: string | null;
  };
  publishedTotal: number;
  lastPublishedAt: string | null;
}

class LeadershipLost extends Error {
  override name = 'LeadershipLost';
}

/**
 * Publishes the outbox to Kafka, at least once and in position order (hence in order per guild):
 * fetch the oldest unpublished rows → send them (idempotent producer, acks=all, key = guild id) →
 * mark them published. A crash between send and mark re-sends the batch on restart, which
 * consumers absorb by deduplicating on the event id.
 *
 * Exactly one relay is active per database and lock key: each relay holds a dedicated connection
 * and tries `pg_try_advisory_lock`; the winner leads, the others stand by and retry, and take over
 * as soon as the leader's connection — and with it the lock — goes away (crash, kill -9, network).
 *
 * Failures never skip rows: a failed batch is retried with a capped exponential backoff (logged
 * each time), then the backlog drains in order. A lost Postgres connection drops leadership and
 * the relay starts over (connect, lock, lead).
 */
export class OutboxRelay {
  private readonly publisher: EventPublisher;
  private readonly snapshots: SnapshotPublisher | undefined;
  private readonly settings: Required<
    Omit<
      OutboxRelayOptions,
      | 'hooks'
      | 'backoff'
      | 'lockKey'
      | 'database'
      | 'kafka'
      | 'logger'
      | 'eventsRetentionMs'
      | 'snapshotTopic'
    >
  > & { backoffInitialMs: number; backoffMaxMs: number; lockKey: bigint };
  private readonly log: Logger;

  private statusValue: RelayStatus = 'stopped';
  private loop: Promise<void> | undefined;
  private stopper = new AbortController();
  private connection: OutboxConnection | undefined;
  /** Set by NOTIFY (or a lost connection) so a wake-up between two waits is not missed. */
  private woken = false;
  private wakeWaiter: (() => void) | undefined;
  private lastCleanup = 0;

  private consecutiveFailures = 0;
  private lastError: string | null = null;
  private publishedTotal = 0;
  private lastPublishedAt: Date | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    const initialMs = options.backoff?.initialMs ?? 100;
    this.settings = {
      topic: options.topic,
      partitions: options.partitions ?? 6,
      replicationFactor: options.replicationFactor ?? 1,
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      standbyRetryMs: options.standbyRetryMs ?? 1000,
      retentionMs: options.retentionMs ?? 24 * 3600_000,
      cleanupIntervalMs: options.cleanupIntervalMs ?? 60_000,
      cleanupBatchSize: options.cleanupBatchSize ?? 1000,
      backoffInitialMs: initialMs,
      backoffMaxMs: Math.max(initialMs, options.backoff?.maxMs ?? 10_000),
      lockKey: options.lockKey ?? DEFAULT_RELAY_LOCK_KEY,
    };
    this.log = options.logger.child({ component: 'outbox-relay', topic: options.topic });
    this.publisher = new EventPublisher({
      kafka: options.kafka,
      topic: this.settings.topic,
      partitions: this.settings.partitions,
      replicationFactor: this.settings.replicationFactor,
      ...(options.eventsRetentionMs
        ? {
            topicConfig: {
              'cleanup.policy': 'delete',
              'retention.ms': String(options.eventsRetentionMs),
            },
          }
        : {}),
      logger: options.logger,
    });
    this.snapshots = options.snapshotTopic
      ? new SnapshotPublisher({
          kafka: options.kafka,
          topic: options.snapshotTopic,
          eventsTopic: this.settings.topic,
          partitions: this.settings.partitions,
          replicationFactor: this.settings.replicationFactor,
          logger: options.logger,
        })
      : undefined;
  }

  get status(): RelayStatus {
    return this.statusValue;
  }

  /**
   * Starts the relay in the background and returns at once: it connects, stands by or leads,
   * and keeps retrying whatever is down. Calling it twice does nothing.
   */
  start(): void {
    if (this.loop) return;
    this.stopper = new AbortController();
    this.setStatus('connecting');
    this.loop = this.run();
  }

  /**
   * Stops gracefully: a batch Kafka is sending is waited for and marked published; a batch
   * waiting to be retried is left unpublished for the next leader. Releases the lock (by closing
   * the connection) and disconnects from Kafka.
   */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.setStatus('stopping');
    this.stopper.abort();
    this.wake();
    await this.loop;
    this.loop = undefined;
    await this.publisher.close();
    await this.snapshots?.close();
    this.setStatus('stopped');
  }

  /** Status, lag and Kafka state, for the app's readiness check. */
  async health(): Promise<OutboxRelayHealth> {
    let lag: OutboxLag | null = null;
    const connection = this.connection;
    if (connection?.alive) {
      lag = await Promise.race([
        connection.lag().catch(() => null),
        sleep(2000, null, { ref: false }),
      ]);
    }
    return {
      status: this.statusValue,
      lag,
      kafka: {
        connected: this.publisher.connected,
        consecutiveFailures: this.consecutiveFailures,
        lastError: this.lastError,
      },
      publishedTotal: this.publishedTotal,
      lastPublishedAt: this.lastPublishedAt?.toISOString() ?? null,
    };
  }

  private get stopping(): boolean {
    return this.stopper.signal.aborted;
  }

  private setStatus(status: RelayStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.options.hooks?.onStatus?.(status);
  }

  private wake(): void {
    this.woken = true;
    this.wakeWaiter?.();
  }

  /** Waits for a NOTIFY, the poll interval, or stop — whichever comes first. */
  private async waitForWork(ms: number): Promise<void> {
    if (!this.woken && !this.stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wakeWaiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeWaiter = undefined;
    }
    this.woken = false;
  }

  /** Sleeps unless stopped; true if the whole time passed. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.stopper.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** Capped exponential backoff with jitter in [delay/2, delay], so relays do not retry in lockstep. */
  private backoff(attempt: number): number {
    const { backoffInitialMs, backoffMaxMs } = this.settings;
    return backoffDelay(attempt - 1, { initialMs: backoffInitialMs, maxMs: backoffMaxMs });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      try {
        await this.connectAndLead();
        attempt = 0;
      } catch (error) {
        attempt += 1;
        const delayMs = this.backoff(attempt);
        this.log.warn(
          { err: error, attempt, delayMs, wasLeader: this.statusValue === 'leader' },
          error instanceof LeadershipLost
            ? 'outbox relay lost its Postgres connection (and the lock); reconnecting'
            : 'outbox relay cannot reach Postgres; retrying',
        );
        if (!this.stopping) this.setStatus('connecting');
        await this.pause(delayMs);
      } finally {
        const connection = this.connection;
        this.connection = undefined;
        await connection?.close();
      }
    }
  }

  private async connectAndLead(): Promise<void> {
    this.setStatus('connecting');
    let lostWith: Error | undefined;
    const connection = await OutboxConnection.open(
      this.options.database,
      () => this.wake(),
      (error) => {
        lostWith = error;
        this.wake();
      },
    );
    this.connection = connection;
    const ensureAlive = () => {
      if (!connection.alive) throw new LeadershipLost(lostWith?.message ?? 'connection closed');
    };

    while (!(await connection.tryLock(this.settings.lockKey))) {
      if (this.statusValue !== 'standby') {
        this.log.info('another outbox relay is active; standing by');
        this.setStatus('standby');
      }
      if (!(await this.pause(this.settings.standbyRetryMs))) return;
      ensureAlive();
    }
    if (this.stopping) return;
    await connection.listen();
    this.setStatus('leader');
    this.log.info('this outbox relay is now the active one');
    const kafkaReady = await this.withKafkaRetry(
      'create the topic or connect to Kafka',
      () => this.publisher.prepare(),
      ensureAlive,
    );
    if (!kafkaReady) return;
    const snapshots = this.snapshots;
    if (snapshots) {
      const ready = await this.withKafkaRetry(
        'prepare the guild snapshots topic',
        async () => {
          if (await snapshots.prepare()) await snapshots.publishAll(connection);
        },
        ensureAlive,
      );
      if (!ready) return;
    }

    while (!this.stopping) {
      ensureAlive();
      await this.cleanupIfDue(connection);
      const rows = await connection.fetchUnpublished(this.settings.batchSize);
      if (rows.length === 0) {
        await this.waitForWork(this.settings.pollIntervalMs);
        continue;
      }
      if (!(await this.publishWithRetry(rows, connection, ensureAlive))) return;
      await connection.markPublished(rows.map((r) => r.position));
      this.publishedTotal += rows.length;
      this.lastPublishedAt = new Date();
    }
  }

  /**
   * Runs a Kafka action until it succeeds, backing off between failures; false if the relay was
   * stopped first. Throws LeadershipLost if the lock went away meanwhile.
   */
  private async withKafkaRetry(
    what: string,
    action: () => Promise<void>,
    ensureAlive: () => void,
    batch?: readonly OutboxRow[],
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      // A relay that lost its lock must not publish: another one may lead by now.
      ensureAlive();
      try {
        await action();
        if (this.consecutiveFailures > 0) {
          this.log.info({ failures: this.consecutiveFailures }, 'Kafka is reachable again');
        }
        this.consecutiveFailures = 0;
        this.lastError = null;
        return true;
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        this.consecutiveFailures += 1;
        this.lastError = err.message;
        if (this.stopping) return false;
        const delayMs = this.backoff(attempt);
        this.log.warn(
          {
            err,
            attempt,
            delayMs,
            brokers: this.options.kafka.brokers,
            ...(batch ? { batch: batch.length, firstPosition: batch[0]?.position } : {}),
          },
          `could not ${what}; retrying`,
        );
        this.options.hooks?.onRetry?.({ attempt, delayMs, error: err });
        if (!(await this.pause(delayMs))) return false;
      }
    }
  }

  /** Sends one batch until Kafka takes it (same batch, same order); false if stopped first. */
  private publishWithRetry(
    rows: readonly OutboxRow[],
    connection: OutboxConnection,
    ensureAlive: () => void,
  ): Promise<boolean> {
    const hooks = this.options.hooks;
    return this.withKafkaRetry(
      'publish outbox events to Kafka',
      async () => {
        await hooks?.beforePublish?.(rows);
        await this.publisher.publish(rows);
        // Then the state of their guilds, read now: it includes every event just published.
        // A failure sends the events again too (consumers deduplicate them by id).
        await this.snapshots?.publish(
          rows.map((r) => r.guildId),
          connection,
        );
        await hooks?.afterPublish?.(rows);
      },
      ensureAlive,
      rows,
    );
  }

  /** Deletes published rows past the retention, in small batches, at most once per interval. */
  private async cleanupIfDue(connection: OutboxConnection): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < this.settings.cleanupIntervalMs) return;
    this.lastCleanup = now;
    let total = 0;
    for (;;) {
      const deleted = await connection.deletePublished(
        this.settings.retentionMs,
        this.settings.cleanupBatchSize,
      );
      total += deleted;
      if (deleted < this.settings.cleanupBatchSize || this.stopping) break;
    }
    if (total > 0)
      this.log.info({ deleted: total }, 'deleted published outbox rows past retention');
  }
}
