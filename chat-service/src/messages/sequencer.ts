import type { SnowflakeGenerator } from '@echopulse/service-kit';
import type { DataSource, QueryRunner } from 'typeorm';
import type { ChatMessage, ChatRecord } from './chat-message';

/** A new message before it has an id, a seq and a time. */
export type MessageDraft = Omit<ChatMessage, 'id' | 'seq' | 'createdAt'>;

/** Produces a record; resolves once Kafka holds it durably. */
export type Produce = (channelId: string, record: ChatRecord) => Promise<void>;

/**
 * Gives messages their per-channel `seq` and puts them on Kafka (DESIGN.md "Sequencing"). One
 * sender per channel at a time, across every instance: a session-level advisory lock on the
 * channel id, held from the claim to Kafka's ack. The claim (seq, nonce, the record as
 * `pending`) is committed BEFORE producing, so Kafka never holds a seq the database forgot; if
 * the process dies between COMMIT and the ack, the lock dies with its connection and the next
 * sender of the channel (or a resend of that nonce) produces the pending record again first —
 * order kept, and consumers drop the possible duplicate by seq.
 */
export class Sequencer {
  constructor(
    private readonly source: DataSource,
    private readonly ids: SnowflakeGenerator,
    private readonly produce: Produce,
  ) {}

  /** The message a nonce already produced, if any. */
  async byNonce(authorId: string, nonce: string): Promise<ChatMessage | undefined> {
    const rows: { message: ChatMessage | null }[] = await this.source.query(
      `SELECT message FROM message_nonces WHERE author_id = $1 AND nonce = $2`,
      [authorId, nonce],
    );
    return rows[0]?.message ?? undefined;
  }

  /** The state a message had when sequenced, while its nonce is remembered. */
  async byId(messageId: string): Promise<ChatMessage | undefined> {
    const rows: { message: ChatMessage | null }[] = await this.source.query(
      `SELECT message FROM message_nonces WHERE message_id = $1`,
      [messageId],
    );
    return rows[0]?.message ?? undefined;
  }

  /** Makes sure the channel's last claimed record reached Kafka (for a resend of its nonce). */
  async settle(channelId: string): Promise<void> {
    await this.locked(channelId, async () => undefined);
  }

  /** Sequences and produces a new message; `duplicate` when the nonce had one already. */
  async create(
    draft: MessageDraft,
    nonce: string,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const created = await this.locked(draft.channelId, async (q) => {
      await q.startTransaction();
      const claimed: unknown[] = await q.query(
        `INSERT INTO message_nonces (author_id, nonce, channel_id) VALUES ($1, $2, $3)
         ON CONFLICT (author_id, nonce) DO NOTHING RETURNING 1`,
        [draft.author.id, nonce, draft.channelId],
      );
      if (!claimed.length) {
        await q.rollbackTransaction();
        return undefined; // an earlier send of this nonce won
      }
      const [{ last_seq }] = (await q.query(
        `INSERT INTO channel_sequences (channel_id, last_seq) VALUES ($1, 1)
         ON CONFLICT (channel_id) DO UPDATE SET last_seq = channel_sequences.last_seq + 1
         RETURNING last_seq`,
        [draft.channelId],
      )) as [{ last_seq: string }];
      const message: ChatMessage = {
        id: this.ids.next(),
        seq: Number(last_seq),
        channelId: draft.channelId,
        guildId: draft.guildId,
        author: draft.author,
        content: draft.content,
        mentions: draft.mentions,
        createdAt: new Date().toISOString(),
        ...(draft.replyTo ? { replyTo: draft.replyTo } : {}),
      };
      const record: ChatRecord = { type: 'message.created', message, nonce };
      await q.query(
        `UPDATE message_nonces SET message_id = $3, seq = $4, message = $5
         WHERE author_id = $1 AND nonce = $2`,
        [draft.author.id, nonce, message.id, message.seq, JSON.stringify(message)],
      );
      await q.query(`UPDATE channel_sequences SET pending = $2 WHERE channel_id = $1`, [
        draft.channelId,
        JSON.stringify(record),
      ]);
      await q.commitTransaction();
      await this.produce(message.channelId, record);
      await q.query(`UPDATE channel_sequences SET pending = NULL WHERE channel_id = $1`, [
        draft.channelId,
      ]);
      return message;
    });
    if (created) return { message: created, duplicate: false };
    const original = await this.byNonce(draft.author.id, nonce);
    if (!original) throw new Error('nonce claimed but its message is missing');
    return { message: original, duplicate: true };
  }

  /**
   * Produces an edit or delete in the channel's order, after every message sequenced before it.
   * `change` runs with the channel locked and returns the record, or throws to refuse.
   */
  async change(channelId: string, change: () => Promise<ChatRecord>): Promise<ChatRecord> {
    return this.locked(channelId, async () => {
      const record = await change();
      await this.produce(channelId, record);
      return record;
    });
  }

  /**
   * Runs `work` holding the channel's advisory lock on one connection, after producing a
   * pending record a crashed or failed predecessor left behind.
   */
  private async locked<T>(channelId: string, work: (q: QueryRunner) => Promise<T>): Promise<T> {
    const q = this.source.createQueryRunner();
    await q.connect();
    try {
      await q.query(`SELECT pg_advisory_lock($1::bigint)`, [channelId]);
      try {
        const rows: { pending: ChatRecord | null }[] = await q.query(
          `SELECT pending FROM channel_sequences WHERE channel_id = $1`,
          [channelId],
        );
        const pending = rows[0]?.pending;
        if (pending) {
          await this.produce(channelId, pending);
          await q.query(`UPDATE channel_sequences SET pending = NULL WHERE channel_id = $1`, [
            channelId,
          ]);
        }
        return await work(q);
      } finally {
        if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
        await q.query(`SELECT pg_advisory_unlock($1::bigint)`, [channelId]).catch(() => undefined);
      }
    } finally {
      await q.release();
    }
  }

  /** Forgets nonces older than `seconds` (a resend after that makes a new message). */
  async expireNonces(seconds: number): Promise<number> {
    const result: [unknown[], number] = await this.source.query(
      `DELETE FROM message_nonces WHERE created_at < now() - make_interval(secs => $1)`,
      [seconds],
    );
    return result[1];
  }

  /** The highest seq of each channel given (0 for none yet). */
  async lastSeqs(channelIds: string[]): Promise<Map<string, number>> {
    const rows: { channel_id: string; last_seq: string }[] = channelIds.length
      ? await this.source.query(
          `SELECT channel_id, last_seq FROM channel_sequences WHERE channel_id = ANY($1::bigint[])`,
          [channelIds],
        )
      : [];
    return new Map(rows.map((r) => [r.channel_id, Number(r.last_seq)]));
  }
}
