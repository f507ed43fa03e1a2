import type { DataSource } from 'typeorm';
import { isNewer } from '../pipeline/chat-records';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../messages/chat-message';

interface MessageRow {
  channel_id: string;
  seq: string;
  id: string;
  guild_id: string;
  author_id: string;
  author_username: string;
  content: string;
  mention_users: string[];
  mention_everyone: boolean;
  reply_to: string | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  seq: Number(r.seq),
  channelId: r.channel_id,
  guildId: r.guild_id,
  author: { id: r.author_id, username: r.author_username },
  content: r.content,
  mentions: { users: r.mention_users, everyone: r.mention_everyone },
  createdAt: r.created_at.toISOString(),
  ...(r.edited_at ? { editedAt: r.edited_at.toISOString() } : {}),
  ...(r.reply_to ? { replyTo: r.reply_to } : {}),
  ...(r.deleted_at ? { deletedAt: r.deleted_at.toISOString() } : {}),
});

const columns = `channel_id, seq, id, guild_id, author_id, author_username, content, mention_users,
  mention_everyone, reply_to, created_at, edited_at, deleted_at`;

/**
 * The Postgres archive of every message (primary key channel + seq). Writes are upserts that
 * only move a message forward (delete is final, a later edit wins), so the archiver may see a
 * record any number of times. Records of a deleted channel (tombstoned in `deleted_channels` by
 * the projector) are dropped: a late record must not bring back what the purge removed. Not the
 * projection's `channels`: a lagging or rebuilding projection would lose live messages.
 */
export class ArchiveRepository {
  constructor(private readonly source: DataSource) {}

  /** Stores the newest state of each message among `records` in one statement. */
  async apply(records: readonly ChatRecord[]): Promise<void> {
    const newest = new Map<string, ChatMessage>();
    for (const { message } of records) {
      const key = `${message.channelId}:${message.seq}`;
      if (isNewer(message, newest.get(key))) newest.set(key, message);
    }
    if (!newest.size) return;
    const rows = [...newest.values()].map((m) => ({
      channel_id: m.channelId,
      seq: m.seq,
      id: m.id,
      guild_id: m.guildId,
      author_id: m.author.id,
      author_username: m.author.username,
      content: m.content,
      mention_users: m.mentions.users,
      mention_everyone: m.mentions.everyone,
      reply_to: m.replyTo ?? null,
      created_at: m.createdAt,
      edited_at: m.editedAt ?? null,
      deleted_at: m.deletedAt ?? null,
    }));
    await this.source.query(
      `INSERT INTO messages (${columns})
       SELECT channel_id, seq, id, guild_id, author_id, author_username, content,
              ARRAY(SELECT jsonb_array_elements_text(mention_users)), mention_everyone, reply_to,
              created_at, edited_at, deleted_at
       FROM jsonb_to_recordset($1::jsonb) AS r(channel_id bigint, seq bigint, id bigint,
         guild_id bigint, author_id text, author_username text, content text,
         mention_users jsonb, mention_everyone boolean, reply_to bigint, created_at timestamptz,
         edited_at timestamptz, deleted_at timestamptz)
       WHERE NOT EXISTS (SELECT 1 FROM deleted_channels d WHERE d.channel_id = r.channel_id)
       ON CONFLICT (channel_id, seq) DO UPDATE SET
         content = excluded.content, mention_users = excluded.mention_users,
         mention_everyone = excluded.mention_everyone, edited_at = excluded.edited_at,
         deleted_at = excluded.deleted_at
       WHERE messages.deleted_at IS NULL AND (excluded.deleted_at IS NOT NULL
         OR coalesce(excluded.edited_at, '-infinity') > coalesce(messages.edited_at, '-infinity'))`,
      [JSON.stringify(rows)],
    );
  }

  /** Archived messages with lo ≤ seq ≤ hi, oldest first. */
  async range(channelId: string, lo: number, hi: number): Promise<ChatMessage[]> {
    const rows: MessageRow[] = await this.source.query(
      `SELECT ${columns} FROM messages WHERE channel_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`,
      [channelId, lo, hi],
    );
    return rows.map(toMessage);
  }

  /** The newest `count` archived messages, oldest first. */
  async latest(channelId: string, count: number): Promise<ChatMessage[]> {
    const rows: MessageRow[] = await this.source.query(
      `SELECT ${columns} FROM messages WHERE channel_id = $1 ORDER BY seq DESC LIMIT $2`,
      [channelId, count],
    );
    return rows.map(toMessage).reverse();
  }

  /** One archived message by id. */
  async byId(messageId: string): Promise<ChatMessage | undefined> {
    const rows: MessageRow[] = await this.source.query(
      `SELECT ${columns} FROM messages WHERE id = $1`,
      [messageId],
    );
    return rows[0] && toMessage(rows[0]);
  }
}
