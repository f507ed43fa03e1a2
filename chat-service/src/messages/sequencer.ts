import type { SnowflakeGenerator } from '@echopulse/service-kit';
import type { DataSource, QueryRunner } from 'typeorm';
import type { ChatMessage, ChatRecord } from './chat-message';

/** A new message before it has an id, a seq and a time. */
export type MessageDraft = Omit<ChatMessage, 'id' | 'seq' | 'createdAt'>;

/** Produces a record; resolves once Kafka holds it durably. */
export type Produce = (channelId: string, record: ChatRecord) => Promise<void>;

/**
 * Gives messages their per-channel `seq` and puts them on Kafka, one Postgres transaction each
 * (see DESIGN.md "Sequencing"): the nonce row makes a resend return the original, the channel's
 * counter row is locked until Kafka acknowledged, so partition order is seq order across every
 * instance, and a failed produce rolls back (no seq used, nonce free for the retry).
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

  /** Sequences and produces a new message; `duplicate` when the nonce had one already. */
  async create(
    draft: MessageDraft,
    nonce: string,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const outcome = await this.transaction(async (q) => {
      const claimed: unknown[] = await q.query(
        `INSERT INTO message_nonces (author_id, nonce, channel_id) VALUES ($1, $2, $3)
         ON CONFLICT (author_id, nonce) DO NOTHING RETURNING 1`,
        [draft.author.id, nonce, draft.channelId],
      );
      if (!claimed.length) return undefined; // a concurrent or earlier send of this nonce won
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
      await q.query(
        `UPDATE message_nonces SET message_id = $3, seq = $4, message = $5
         WHERE author_id = $1 AND nonce = $2`,
        [draft.author.id, nonce, message.id, message.seq, JSON.stringify(message)],
      );
      await this.produce(message.channelId, { type: 'message.created', message, nonce });
      return message;
    });
    if (outcome) return { message: outcome, duplicate: false };
    const original = await this.byNonce(draft.author.id, nonce);
    if (!original) throw new Error('nonce claimed but its message is missing');
    return { message: original, duplicate: true };
  }

  /**
   * Produces an edit or delete under the channel's lock, so it takes its place in the channel's
   * order after every message sequenced before it. `change` sees the lock held and returns the
   * record, or throws to refuse.
   */
  async change(channelId: string, change: () => Promise<ChatRecord>): Promise<ChatRecord> {
    return this.transaction(async (q) => {
      await q.query(`SELECT 1 FROM channel_sequences WHERE channel_id = $1 FOR UPDATE`, [
        channelId,
      ]);
      const record = await change();
      await this.produce(channelId, record);
      return record;
    });
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

  private async transaction<T>(work: (q: QueryRunner) => Promise<T>): Promise<T> {
    const q = this.source.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      const result = await work(q);
      await q.commitTransaction();
      return result;
    } catch (error) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await q.release();
    }
  }
}
