import type { Logger } from '@echopulse/service-kit';
import { backoffDelay } from '@echopulse/service-kit/backoff';
import type { PurgeJob, PurgeRepository, RedisPurgeRepository } from './purge.repository';

export interface PurgeWorkerOptions {
  /** Rows deleted per statement (archive, read states, reactions). */
  batchSize: number;
  /** How often the worker looks for jobs. */
  intervalMs: number;
  logger: Logger;
  /** How long a job waits when a sequencer still owns its channel (default 1 s). */
  ownedRetryMs?: number;
  /** Called after each batch (tests stop the worker midway here). */
  onBatch?: (
    job: PurgeJob,
    table: 'messages' | 'read_states' | 'reactions',
    deleted: number,
  ) => void;
}

type Jobs = Pick<
  PurgeRepository,
  | 'lock'
  | 'due'
  | 'dropSequencing'
  | 'deleteArchiveBatch'
  | 'deleteReadStatesBatch'
  | 'deleteReactionsBatch'
  | 'finish'
  | 'postpone'
>;
type Keys = Pick<RedisPurgeRepository, 'purgeChannel'>;

/** Longest wait before a failed job is tried again. */
const MAX_BACKOFF_MS = 60_000;

/**
 * Removes what deleted channels left behind (README "Deleting"): for each `purge_jobs` row, the
 * channel's Redis keys, then its sequence counter and nonces (once no instance owns the channel),
 * its archived messages, read states and reactions in batches of `batchSize`, and last the job
 * row itself.
 * Every step deletes what is there and is harmless when repeated, so a worker stopped or killed
 * midway leaves the job for the next run (here or on another instance) to finish. One instance
 * purges at a time (an advisory lock); a failing job is retried with backoff and does not hold
 * up the others.
 */
export class PurgeWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly jobs: Jobs,
    private readonly keys: Keys,
    private readonly options: PurgeWorkerOptions,
  ) {}

  /** Runs now (a restart finds unfinished jobs) and then every intervalMs. */
  start(): void {
    this.stopped = false;
    const loop = () => {
      this.runOnce()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'purge run failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.intervalMs);
        });
    };
    loop();
  }

  /**
   * Stops after the statement under way; an unfinished job stays for the next run (of another
   * worker: a stopped one does no more).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over the due jobs; answers how many finished (0 when another instance purges). */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    const unlock = await this.jobs.lock();
    if (!unlock) return 0;
    let finished = 0;
    try {
      for (const job of await this.jobs.due(100)) {
        if (this.stopped) break;
        try {
          if (await this.purge(job)) finished += 1;
        } catch (error) {
          const backoff = backoffDelay(job.attempts, {
            initialMs: 1000,
            maxMs: MAX_BACKOFF_MS,
            jitter: 'none',
          });
          this.options.logger.warn(
            { err: error, channelId: job.channelId, attempts: job.attempts + 1, backoff },
            'purging a deleted channel failed; it is tried again later',
          );
          await this.jobs
            .postpone(job.channelId, backoff, String((error as Error).message ?? error))
            .catch(() => undefined);
        }
      }
    } finally {
      await unlock();
    }
    return finished;
  }

  /** Purges one channel; false when it has to wait (owned, or the worker is stopping). */
  private async purge(job: PurgeJob): Promise<boolean> {
    const { batchSize, logger } = this.options;
    const { channelId } = job;
    await this.keys.purgeChannel(channelId);
    if (!(await this.jobs.dropSequencing(channelId))) {
      logger.debug({ channelId }, 'a deleted channel is still owned by a sequencer; purge waits');
      await this.jobs.postpone(channelId, this.options.ownedRetryMs ?? 1000);
      return false;
    }
    let messages = 0;
    let readStates = 0;
    for (;;) {
      if (this.stopped) return false;
      const n = await this.jobs.deleteArchiveBatch(channelId, batchSize);
      messages += n;
      this.options.onBatch?.(job, 'messages', n);
      if (n < batchSize) break;
    }
    for (;;) {
      if (this.stopped) return false;
      const n = await this.jobs.deleteReadStatesBatch(channelId, batchSize);
      readStates += n;
      this.options.onBatch?.(job, 'read_states', n);
      if (n < batchSize) break;
    }
    let reactions = 0;
    for (;;) {
      if (this.stopped) return false;
      const n = await this.jobs.deleteReactionsBatch(channelId, batchSize);
      reactions += n;
      this.options.onBatch?.(job, 'reactions', n);
      if (n < batchSize) break;
    }
    await this.jobs.finish(channelId);
    logger.info(
      { channelId, guildId: job.guildId, reason: job.reason, messages, readStates, reactions },
      'deleted channel purged',
    );
    return true;
  }
}
