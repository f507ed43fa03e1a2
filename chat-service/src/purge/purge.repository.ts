import type { PoolClient } from 'pg';
import type { RedisClientType } from 'redis';
import type { DataSource } from 'typeorm';
import type { RedisHistory } from '../history/redis-history';
import { LOCK_KEY as SEQUENCE_LOCK_KEY } from '../sequencing/sequencing.repository';
import { ownerHintsKey } from '../sequencing/sequencer-router';

/** A deleted channel whose data is still to be removed (a `purge_jobs` row). */
export interface PurgeJob {
  channelId: string;
  guildId: string;
  /** The event that deleted it: `channel.deleted` or `guild.deleted`. */
  reason: string;
  attempts: number;
}

/** Advisory lock key of the purge worker: one instance purges at a time (per schema). */
const WORKER_LOCK_KEY = `hashtextextended('chat-purge/' || current_schema(), 0)`;

/**
 * The Postgres side of purging deleted channels: the job queue, the worker's lock, and the
 * deletions, each a statement of its own (a batch never holds a long transaction).
 */
export class PurgeRepository {
  constructor(private readonly source: DataSource) {}

  /**
   * Takes the purge worker's lock on a connection of its own, or answers undefined when another
   * instance holds it. The lock lives as long as the connection: a worker that dies lets it go.
   */
  async lock(): Promise<(() => Promise<void>) | undefined> {
    const runner = this.source.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      const [row] = (
        await client.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_lock(${WORKER_LOCK_KEY}) AS locked`,
        )
      ).rows;
      if (row?.locked) {
        return async () => {
          await client
            .query(`SELECT pg_advisory_unlock(${WORKER_LOCK_KEY})`)
            .catch(() => undefined);
          await runner.release();
        };
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    await runner.release();
    return undefined;
  }

  /** Jobs whose time has come, oldest first. */
  async due(limit: number): Promise<PurgeJob[]> {
    const rows: { channel_id: string; guild_id: string; reason: string; attempts: number }[] =
      await this.source.query(
        `SELECT channel_id, guild_id, reason, attempts FROM purge_jobs
          WHERE not_before <= now() ORDER BY created_at, channel_id LIMIT $1`,
        [limit],
      );
    return rows.map((r) => ({
      channelId: r.channel_id,
      guildId: r.guild_id,
      reason: r.reason,
      attempts: r.attempts,
    }));
  }

  /**
   * Deletes the channel's sequence counter (with its pending records) and its nonces (they hold
   * the messages' content), under the channel's sequencing lock so that no owner is mid-tick.
   * False when an instance still owns the channel: it lets it go once told of the deletion.
   */
  async dropSequencing(channelId: string): Promise<boolean> {
    return this.source.transaction(async (m) => {
      const [lock] = (await m.query(
        `SELECT pg_try_advisory_xact_lock(${SEQUENCE_LOCK_KEY}) AS locked`,
        [channelId],
      )) as { locked: boolean }[];
      if (!lock?.locked) return false;
      await m.query(`DELETE FROM channel_sequences WHERE channel_id = $1`, [channelId]);
      await m.query(`DELETE FROM message_nonces WHERE channel_id = $1`, [channelId]);
      return true;
    });
  }

  /** Deletes up to `limit` of the channel's archived messages (oldest first); answers how many. */
  async deleteArchiveBatch(channelId: string, limit: number): Promise<number> {
    const [, deleted] = (await this.source.query(
      `DELETE FROM messages WHERE channel_id = $1 AND seq IN (
         SELECT seq FROM messages WHERE channel_id = $1 ORDER BY seq LIMIT $2)`,
      [channelId, limit],
    )) as [unknown[], number];
    return deleted;
  }

  /** Deletes up to `limit` of the channel's read states; answers how many. */
  async deleteReadStatesBatch(channelId: string, limit: number): Promise<number> {
    const [, deleted] = (await this.source.query(
      `DELETE FROM read_states WHERE channel_id = $1 AND user_id IN (
         SELECT user_id FROM read_states WHERE channel_id = $1 LIMIT $2)`,
      [channelId, limit],
    )) as [unknown[], number];
    return deleted;
  }

  /** Deletes up to `limit` of the channel's reactions; answers how many. */
  async deleteReactionsBatch(channelId: string, limit: number): Promise<number> {
    const [, deleted] = (await this.source.query(
      `DELETE FROM reactions WHERE ctid IN (
         SELECT ctid FROM reactions WHERE channel_id = $1 LIMIT $2)`,
      [channelId, limit],
    )) as [unknown[], number];
    return deleted;
  }

  /** The job is done. */
  async finish(channelId: string): Promise<void> {
    await this.source.query(`DELETE FROM purge_jobs WHERE channel_id = $1`, [channelId]);
  }

  /** Tries the job again in `ms`, noting why it stopped. */
  async postpone(channelId: string, ms: number, error?: string): Promise<void> {
    await this.source.query(
      `UPDATE purge_jobs SET not_before = now() + make_interval(secs => $2::float8 / 1000),
         attempts = attempts + $3, last_error = coalesce($4, last_error)
       WHERE channel_id = $1`,
      [channelId, ms, error ? 1 : 0, error ?? null],
    );
  }

  /** Which of these channels are deleted (tombstoned). */
  async deletedAmong(channelIds: readonly string[]): Promise<string[]> {
    if (!channelIds.length) return [];
    const rows: { channel_id: string }[] = await this.source.query(
      `SELECT channel_id FROM deleted_channels WHERE channel_id = ANY ($1::bigint[])`,
      [channelIds],
    );
    return rows.map((r) => r.channel_id);
  }
}

/**
 * The Redis side: every key chat-service keeps per channel. The history (with a tombstone that
 * keeps the fan-out from writing it again), the sequencer's owner hint, and the slowmode keys
 * (`slowmode:{channel}:{user}`, see messages/send-limits.ts; found by SCAN, they expire by
 * themselves within the slowmode but are removed now). The rate limit and presence are per user.
 */
export class RedisPurgeRepository {
  constructor(
    private readonly redis: RedisClientType,
    private readonly history: RedisHistory,
    private readonly options: { prefix: string; tombstoneSeconds: number },
  ) {}

  async purgeChannel(channelId: string): Promise<void> {
    const { prefix, tombstoneSeconds } = this.options;
    await this.history.drop(channelId, tombstoneSeconds);
    await this.redis.hDel(ownerHintsKey(prefix), channelId);
    const match = `${escapeGlob(prefix)}slowmode:${channelId}:*`;
    for await (const keys of this.redis.scanIterator({ MATCH: match, COUNT: 1000 })) {
      if (keys.length) await this.redis.unlink(keys);
    }
  }
}

/** A literal for Redis' MATCH (the prefix may hold glob characters). */
const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');
