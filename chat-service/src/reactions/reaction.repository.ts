import type { DataSource } from 'typeorm';

/** One emoji on one message. */
export interface ReactionKey {
  channelId: string;
  messageId: string;
  /** The Unicode emoji, as given (one RGI emoji; see reaction-emoji.ts). */
  emoji: string;
}

/** What a message's reactions look like before a user's reaction is added. */
export interface ReactionState {
  /** Users who reacted with this emoji. */
  count: number;
  /** Distinct emoji on the message. */
  distinct: number;
  /** The user has reacted with this emoji already. */
  mine: boolean;
}

/** One emoji of a message as a reader sees it (history, replay, GET one message). */
export interface ReactionSummary {
  emoji: string;
  count: number;
  /** The reading user reacted with it. */
  me: boolean;
}

export interface ReactionUser {
  id: string;
  username: string;
}

/** Reactions storage; the service's rules run over it, and over an in-memory fake in unit tests. */
export interface ReactionStore {
  /**
   * Adds the user's reaction unless `decide` (given the state before, under the message's lock,
   * so two racing adds see each other) throws; idempotent. Answers the emoji's count after.
   */
  add(
    key: ReactionKey,
    user: ReactionUser,
    decide: (state: ReactionState) => void,
  ): Promise<{ added: boolean; count: number }>;
  /** Removes one user's reaction; answers whether there was one and the count after. */
  remove(key: ReactionKey, userId: string): Promise<{ removed: boolean; count: number }>;
  /** Removes every reaction of the message, or of one emoji on it; answers how many went. */
  clear(channelId: string, messageId: string, emoji?: string): Promise<number>;
  /** Who reacted with the emoji, by user id, after `after`. */
  users(key: ReactionKey, after: string | undefined, limit: number): Promise<ReactionUser[]>;
  /** The reactions of these messages for one reader, in one query; messages without none are absent. */
  summaries(
    channelId: string,
    messageIds: readonly string[],
    userId: string,
  ): Promise<Map<string, ReactionSummary[]>>;
}

/** Postgres `reactions` (migration Reactions): primary key channel, message, emoji, user. */
export class ReactionRepository implements ReactionStore {
  constructor(private readonly source: DataSource) {}

  async add(
    key: ReactionKey,
    user: ReactionUser,
    decide: (state: ReactionState) => void,
  ): Promise<{ added: boolean; count: number }> {
    return this.source.transaction(async (m) => {
      // One message's adds in turn: the distinct-emoji limit and "new emoji" hold under races.
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('reaction:' || $1, 0))`, [
        key.messageId,
      ]);
      const [state] = (await m.query(
        `SELECT count(*) FILTER (WHERE emoji = $3)::int AS count,
                count(DISTINCT emoji)::int AS distinct,
                bool_or(emoji = $3 AND user_id = $4) AS mine
           FROM reactions WHERE channel_id = $1 AND message_id = $2`,
        [key.channelId, key.messageId, key.emoji, user.id],
      )) as { count: number; distinct: number; mine: boolean | null }[];
      decide({ count: state!.count, distinct: state!.distinct, mine: !!state!.mine });
      // RETURNING: TypeORM reports no row count for an INSERT, only its rows.
      const inserted = (await m.query(
        `INSERT INTO reactions (channel_id, message_id, emoji, user_id, username)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
        [key.channelId, key.messageId, key.emoji, user.id, user.username],
      )) as unknown[];
      const added = inserted.length > 0;
      return { added, count: state!.count + (added ? 1 : 0) };
    });
  }

  async remove(key: ReactionKey, userId: string): Promise<{ removed: boolean; count: number }> {
    const rows = (await this.source.query(
      `WITH gone AS (
         DELETE FROM reactions
          WHERE channel_id = $1 AND message_id = $2 AND emoji = $3 AND user_id = $4
          RETURNING 1)
       SELECT (SELECT count(*) FROM gone)::int AS removed,
              (SELECT count(*) FROM reactions
                WHERE channel_id = $1 AND message_id = $2 AND emoji = $3)::int AS count`,
      [key.channelId, key.messageId, key.emoji, userId],
    )) as { removed: number; count: number }[];
    const { removed, count } = rows[0]!;
    // The snapshot of the count does not see this statement's own delete.
    return { removed: removed > 0, count: Math.max(0, count - removed) };
  }

  async clear(channelId: string, messageId: string, emoji?: string): Promise<number> {
    const [, deleted] = (await this.source.query(
      `DELETE FROM reactions WHERE channel_id = $1 AND message_id = $2
         AND ($3::text IS NULL OR emoji = $3)`,
      [channelId, messageId, emoji ?? null],
    )) as [unknown, number];
    return deleted;
  }

  async users(key: ReactionKey, after: string | undefined, limit: number): Promise<ReactionUser[]> {
    const rows = (await this.source.query(
      `SELECT user_id, username FROM reactions
        WHERE channel_id = $1 AND message_id = $2 AND emoji = $3 AND ($4::text IS NULL OR user_id > $4)
        ORDER BY user_id LIMIT $5`,
      [key.channelId, key.messageId, key.emoji, after ?? null, limit],
    )) as { user_id: string; username: string }[];
    return rows.map((r) => ({ id: r.user_id, username: r.username }));
  }

  async summaries(
    channelId: string,
    messageIds: readonly string[],
    userId: string,
  ): Promise<Map<string, ReactionSummary[]>> {
    const result = new Map<string, ReactionSummary[]>();
    if (!messageIds.length) return result;
    const rows = (await this.source.query(
      `SELECT message_id, emoji, count(*)::int AS count, bool_or(user_id = $3) AS me,
              min(created_at) AS first
         FROM reactions WHERE channel_id = $1 AND message_id = ANY ($2::bigint[])
        GROUP BY message_id, emoji
        ORDER BY message_id, first, emoji`,
      [channelId, messageIds, userId],
    )) as { message_id: string; emoji: string; count: number; me: boolean }[];
    for (const r of rows) {
      const list = result.get(r.message_id) ?? [];
      list.push({ emoji: r.emoji, count: r.count, me: r.me });
      result.set(r.message_id, list);
    }
    return result;
  }
}
