import { createLogger } from '@echopulse/service-kit';
import type { PurgeJob } from './purge.repository';
import { PurgeWorker, type PurgeWorkerOptions } from './purge.worker';

// The purge worker's decisions over an in-memory job queue: the order of the steps, waiting
// while a sequencer owns the channel, batches, a stop midway, a failing job among others, the
// lock. purge.worker.test.ts runs it against Postgres and Redis.

/** The queue and the tables of a few deleted channels, in memory; `log` lists every step. */
class MemoryJobs {
  readonly log: string[] = [];
  readonly jobs = new Map<string, PurgeJob & { dueInMs: number; error?: string }>();
  readonly archived = new Map<string, number>();
  readonly readStates = new Map<string, number>();
  readonly reactions = new Map<string, number>();
  readonly owned = new Set<string>();
  readonly failing = new Set<string>();
  lockedElsewhere = false;
  locked = false;

  add(channelId: string, messages: number, readStates = 0, reactions = 0): void {
    this.jobs.set(channelId, {
      channelId,
      guildId: '1',
      reason: 'channel.deleted',
      attempts: 0,
      dueInMs: 0,
    });
    this.archived.set(channelId, messages);
    this.readStates.set(channelId, readStates);
    this.reactions.set(channelId, reactions);
  }

  async lock() {
    if (this.lockedElsewhere) return undefined;
    this.locked = true;
    return async () => {
      this.locked = false;
    };
  }
  async due(limit: number) {
    return [...this.jobs.values()].filter((j) => j.dueInMs <= 0).slice(0, limit);
  }
  async purgeChannel(channelId: string) {
    this.log.push(`keys ${channelId}`);
  }
  async dropSequencing(channelId: string) {
    if (this.failing.has(channelId)) throw new Error(`${channelId} fails`);
    if (this.owned.has(channelId)) return false;
    this.log.push(`sequencing ${channelId}`);
    return true;
  }
  private take(table: Map<string, number>, name: string, channelId: string, limit: number) {
    const n = Math.min(limit, table.get(channelId) ?? 0);
    table.set(channelId, (table.get(channelId) ?? 0) - n);
    this.log.push(`${name} ${channelId} ${n}`);
    return n;
  }
  async deleteArchiveBatch(channelId: string, limit: number) {
    return this.take(this.archived, 'messages', channelId, limit);
  }
  async deleteReadStatesBatch(channelId: string, limit: number) {
    return this.take(this.readStates, 'read_states', channelId, limit);
  }
  async deleteReactionsBatch(channelId: string, limit: number) {
    return this.take(this.reactions, 'reactions', channelId, limit);
  }
  async finish(channelId: string) {
    this.log.push(`finish ${channelId}`);
    this.jobs.delete(channelId);
  }
  async postpone(channelId: string, ms: number, error?: string) {
    this.log.push(`postpone ${channelId} ${ms}`);
    const job = this.jobs.get(channelId)!;
    Object.assign(job, { dueInMs: ms, attempts: job.attempts + (error ? 1 : 0), error });
  }
}

describe('PurgeWorker over an in-memory queue', () => {
  let jobs: MemoryJobs;
  const worker = (options: Partial<PurgeWorkerOptions> = {}) =>
    new PurgeWorker(jobs, jobs, {
      batchSize: 2,
      intervalMs: 60_000,
      logger: createLogger('purge-test', 'silent'),
      ...options,
    });

  beforeEach(() => {
    jobs = new MemoryJobs();
  });

  it('purges keys, then sequencing, then messages, read states and reactions in batches, then the job', async () => {
    jobs.add('10', 5, 2, 3);
    expect(await worker().runOnce()).toBe(1);
    expect(jobs.log).toEqual([
      'keys 10',
      'sequencing 10',
      'messages 10 2',
      'messages 10 2',
      'messages 10 1',
      'read_states 10 2',
      'read_states 10 0',
      'reactions 10 2',
      'reactions 10 1',
      'finish 10',
    ]);
    expect(jobs.jobs.size).toBe(0);
    expect(jobs.locked).toBe(false);
  });

  it('waits while a sequencer owns the channel, touching no table, and finishes once let go', async () => {
    jobs.add('11', 1);
    jobs.owned.add('11');
    const w = worker({ ownedRetryMs: 250 });
    expect(await w.runOnce()).toBe(0);
    expect(jobs.log).toEqual(['keys 11', 'postpone 11 250']);
    expect(jobs.archived.get('11')).toBe(1);
    expect(jobs.jobs.get('11')!.attempts).toBe(0); // waiting is no failure
    jobs.owned.delete('11');
    jobs.jobs.get('11')!.dueInMs = 0;
    expect(await w.runOnce()).toBe(1);
  });

  it('postpones a failing job with growing backoff and goes on with the others', async () => {
    jobs.add('12', 1);
    jobs.add('13', 1);
    jobs.failing.add('12');
    expect(await worker().runOnce()).toBe(1);
    expect(jobs.log).toContain('postpone 12 1000');
    expect(jobs.jobs.get('12')).toMatchObject({ attempts: 1, error: '12 fails' });
    expect(jobs.log).toContain('finish 13');
    jobs.jobs.get('12')!.dueInMs = 0;
    await worker().runOnce();
    expect(jobs.log.at(-1)).toBe('postpone 12 2000');
  });

  it('stopped midway, leaves the job for the next run, which finishes it', async () => {
    jobs.add('14', 6);
    const w = worker({
      onBatch: (_job, table, n) => {
        if (table === 'messages' && n === 2 && jobs.archived.get('14') === 4) void w.stop();
      },
    });
    expect(await w.runOnce()).toBe(0);
    expect(jobs.jobs.has('14')).toBe(true);
    expect(jobs.archived.get('14')).toBe(4);
    expect(await worker().runOnce()).toBe(1);
    expect(jobs.archived.get('14')).toBe(0);
  });

  it('does nothing while another instance holds the purge lock', async () => {
    jobs.add('15', 1);
    jobs.lockedElsewhere = true;
    expect(await worker().runOnce()).toBe(0);
    expect(jobs.log).toEqual([]);
  });
});
