import type { DataSource } from 'typeorm';

/** One channel's read position and what is new since, for one user. */
export interface ReadState {
  channelId: string;
  guildId: string;
  /** The last seq the user has read; 0 for none. */
  lastReadSeq: number;
  /** The channel's newest seq; 0 for an empty channel. */
  lastSeq: number;
  /** Messages of others after lastReadSeq (not deleted), counted up to 1000. */
  unreadCount: number;
  /** Of those, the ones mentioning the user or @everyone, counted up to 1000. */
  mentionCount: number;
}

/** Read markers (`/app/channels/{id}/read`) and unread/mention counts from the archive. */
export class ReadStateRepository {
  constructor(private readonly source: DataSource) {}

  /**
   * Moves the marker forward only (a late marker from another tab never goes back), capped at
   * the channel's newest seq. Answers the marker now stored.
   */
  async mark(userId: string, channelId: string, seq: number): Promise<number> {
    const rows: { last_read_seq: string }[] = await this.source.query(
      `INSERT INTO read_states (user_id, channel_id, last_read_seq)
       VALUES ($1, $2, LEAST($3::bigint,
         coalesce((SELECT last_seq FROM channel_sequences WHERE channel_id = $2), 0)))
       ON CONFLICT (user_id, channel_id) DO UPDATE
         SET last_read_seq = GREATEST(read_states.last_read_seq, excluded.last_read_seq),
             updated_at = now()
       RETURNING last_read_seq`,
      [userId, channelId, seq],
    );
    return Number(rows[0]!.last_read_seq);
  }

  /** States of the text channels of the user's guilds (the caller filters by permission). */
  async list(userId: string): Promise<ReadState[]> {
    const rows: {
      channel_id: string;
      guild_id: string;
      last_read_seq: string;
      last_seq: string;
      unread: string;
      mentions: string;
    }[] = await this.source.query(
      `SELECT c.id AS channel_id, c.guild_id,
              coalesce(r.last_read_seq, 0) AS last_read_seq, coalesce(s.last_seq, 0) AS last_seq,
              (SELECT count(*) FROM (SELECT 1 FROM messages m
                 WHERE m.channel_id = c.id AND m.seq > coalesce(r.last_read_seq, 0)
                   AND m.deleted_at IS NULL AND m.author_id <> $1 LIMIT 1000) x) AS unread,
              (SELECT count(*) FROM (SELECT 1 FROM messages m
                 WHERE m.channel_id = c.id AND m.seq > coalesce(r.last_read_seq, 0)
                   AND m.deleted_at IS NULL AND m.author_id <> $1
                   AND ($1 = ANY (m.mention_users) OR m.mention_everyone) LIMIT 1000) y) AS mentions
       FROM members mb
       JOIN channels c ON c.guild_id = mb.guild_id AND c.type = 'text'
       LEFT JOIN read_states r ON r.user_id = $1 AND r.channel_id = c.id
       LEFT JOIN channel_sequences s ON s.channel_id = c.id
       WHERE mb.user_id = $1
       ORDER BY c.guild_id, c.id`,
      [userId],
    );
    return rows.map((r) => ({
      channelId: r.channel_id,
      guildId: r.guild_id,
      lastReadSeq: Number(r.last_read_seq),
      lastSeq: Number(r.last_seq),
      unreadCount: Number(r.unread),
      mentionCount: Number(r.mentions),
    }));
  }
}
