import type { SnowflakeGenerator } from '@echopulse/service-kit';
import type { DataSource, QueryRunner } from 'typeorm';
import type { ChatMessage, ChatRecord } from './chat-message';

/** A new message before it has an id, a seq and a time. */
export type MessageDraft = Omit<ChatMessage, 'id' | 'seq' | 'createdAt'>;

/** Produces records of one channel, in order; resolves once Kafka holds them durably. */
export type Produce = (channelId: string, records: ChatRecord[]) => Promise<void>;

type Created = { message: ChatMessage; duplicate: boolean };

type Job =
  | {
      kind: 'create';
      draft: MessageDraft;
      nonce: string;
      resolve: (result: Created) => void;
      reject: (error: unknown) => void;
    }
  | {
      kind: 'change';
      make: () => Promise<ChatRecord | undefined>;
      resolve: (record: ChatRecord | undefined) => void;
      reject: (error: unknown) => void;
    };

type CreateJob = Extract<Job, { kind: 'create' }>;

/** Most messages of one channel sequenced in one transaction and one Kafka request. */
const MAX_BATCH = 200;
/** Most batches one holder runs before giving the lock to other instances. */
const MAX_ROUNDS = 20;

/**
 * Gives messages their per-channel `seq` and puts them on Kafka (README "Sequencing").
 *
 * One sequencer per channel at a time across every instance: a session-level advisory lock on
 * the channel id, held from the claim to Kafka's ack. The claim (nonces, seqs, the records as the
 * channel's `pending`) is COMMITted BEFORE producing, so Kafka never holds a seq the database
 * forgot; if the process dies between COMMIT and the ack, the lock dies with its connection and
 * the next holder produces the pending records again first — order kept, consumers drop the
 * duplicate by seq. Within an instance, sends to one channel queue in memory and are sequenced
 * in batches (one transaction, one Kafka request each), so a busy channel costs one lock round
 * per batch instead of per message, and waiting senders hold no database connection.
 */
export class Sequencer {
  private readonly queues = new Map<string, Job[]>();

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

  /** Makes sure the channel's claimed records reached Kafka (for a resend of a nonce). */
  async settle(channelId: string): Promise<void> {
    await this.change(channelId, async () => undefined);
  }

  /** Sequences and produces a new message; `duplicate` when the nonce had one already. */
  create(draft: MessageDraft, nonce: string): Promise<Created> {
    return new Promise((resolve, reject) =>
      this.enqueue(draft.channelId, { kind: 'create', draft, nonce, resolve, reject }),
    );
  }

  /**
   * Produces an edit or delete in the channel's order, after every message sequenced before it.
   * `make` runs with the channel locked and returns the record (undefined: nothing to produce),
   * or throws to refuse.
   */
  change<T extends ChatRecord | undefined>(channelId: string, make: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) =>
      this.enqueue(channelId, {
        kind: 'change',
        make,
        resolve: resolve as (record: ChatRecord | undefined) => void,
        reject,
      }),
    );
  }

  private enqueue(channelId: string, job: Job): void {
    const queue = this.queues.get(channelId);
    if (queue) {
      queue.push(job);
      return;
    }
    this.queues.set(channelId, [job]);
    void this.drain(channelId);
  }

  /**
   * Runs the channel's queue until empty: a run of creates as one batch, a change alone. The
   * lock is kept across consecutive batches while work is queued (up to MAX_ROUNDS), and given
   * up after a failure so the next round starts clean and recovers what is pending.
   */
  private async drain(channelId: string): Promise<void> {
    const queue = this.queues.get(channelId)!;
    while (queue.length) {
      let failed: Job[] = [];
      try {
        await this.locked(channelId, async (q) => {
          for (let round = 0; queue.length && round < MAX_ROUNDS; round++) {
            const first = queue[0]!;
            if (first.kind === 'change') {
              queue.shift();
              let record: ChatRecord | undefined;
              try {
                record = await first.make();
              } catch (error) {
                first.reject(error); // a refusal (not the author…): the lock is fine
                continue;
              }
              failed = [first];
              if (record) await this.produce(channelId, [record]);
              failed = [];
              first.resolve(record);
              continue;
            }
            let n = 1;
            while (n < queue.length && n < MAX_BATCH && queue[n]!.kind === 'create') n++;
            const batch = queue.splice(0, n) as CreateJob[];
            failed = batch;
            const messages = await this.sequence(q, channelId, batch);
            failed = [];
            batch.forEach((job, i) => void this.answer(job, messages[i]));
          }
        });
      } catch (error) {
        for (const job of failed) job.reject(error);
        if (!failed.length) for (const job of queue.splice(0)) job.reject(error);
      }
    }
    this.queues.delete(channelId);
  }

  /** Resolves a create: its message, or (another send of its nonce won) the original. */
  private async answer(job: CreateJob, message: ChatMessage | undefined): Promise<void> {
    if (message) return job.resolve({ message, duplicate: false });
    try {
      const original = await this.byNonce(job.draft.author.id, job.nonce);
      if (original) job.resolve({ message: original, duplicate: true });
      else job.reject(new Error('nonce claimed but its message is missing'));
    } catch (error) {
      job.reject(error);
    }
  }

  /** One batch: claim nonces, take seqs, commit the claim, produce, clear `pending`. */
  private async sequence(
    q: QueryRunner,
    channelId: string,
    batch: CreateJob[],
  ): Promise<(ChatMessage | undefined)[]> {
    await q.startTransaction();
    const claimedRows: { author_id: string; nonce: string }[] = await q.query(
      `INSERT INTO message_nonces (author_id, nonce, channel_id)
       SELECT a, n, $3 FROM unnest($1::text[], $2::text[]) AS t(a, n)
       ON CONFLICT (author_id, nonce) DO NOTHING RETURNING author_id, nonce`,
      [batch.map((j) => j.draft.author.id), batch.map((j) => j.nonce), channelId],
    );
    const unclaimed = new Set(claimedRows.map((r) => `${r.author_id}\u0000${r.nonce}`));
    // in queue order; a nonce twice in one batch is claimed by its first job
    const winners = batch.map((j) => unclaimed.delete(`${j.draft.author.id}\u0000${j.nonce}`));
    const count = winners.filter(Boolean).length;
    if (!count) {
      await q.rollbackTransaction();
      return batch.map(() => undefined);
    }
    const [{ last_seq }] = (await q.query(
      `INSERT INTO channel_sequences (channel_id, last_seq) VALUES ($1, $2)
       ON CONFLICT (channel_id) DO UPDATE SET last_seq = channel_sequences.last_seq + $2
       RETURNING last_seq`,
      [channelId, count],
    )) as [{ last_seq: string }];
    let seq = Number(last_seq) - count;
    const now = new Date().toISOString();
    const messages = batch.map((job, i): ChatMessage | undefined => {
      if (!winners[i]) return undefined;
      const { draft } = job;
      return {
        id: this.ids.next(),
        seq: ++seq,
        channelId,
        guildId: draft.guildId,
        author: draft.author,
        content: draft.content,
        mentions: draft.mentions,
        createdAt: now,
        ...(draft.replyTo ? { replyTo: draft.replyTo } : {}),
      };
    });
    const records: ChatRecord[] = [];
    const rows: {
      author_id: string;
      nonce: string;
      id: string;
      seq: number;
      message: ChatMessage;
    }[] = [];
    batch.forEach((job, i) => {
      const message = messages[i];
      if (!message) return;
      records.push({ type: 'message.created', message, nonce: job.nonce });
      rows.push({
        author_id: job.draft.author.id,
        nonce: job.nonce,
        id: message.id,
        seq: message.seq,
        message,
      });
    });
    await q.query(
      `UPDATE message_nonces m SET message_id = u.id::bigint, seq = u.seq, message = u.message
       FROM jsonb_to_recordset($1::jsonb) AS u(author_id text, nonce text, id text, seq bigint, message jsonb)
       WHERE m.author_id = u.author_id AND m.nonce = u.nonce`,
      [JSON.stringify(rows)],
    );
    await q.query(`UPDATE channel_sequences SET pending = $2 WHERE channel_id = $1`, [
      channelId,
      JSON.stringify(records),
    ]);
    await q.commitTransaction();
    await this.produce(channelId, records);
    await q.query(`UPDATE channel_sequences SET pending = NULL WHERE channel_id = $1`, [channelId]);
    return messages;
  }

  /** Produces the records a crashed or failed predecessor claimed but may not have produced. */
  private async producePending(q: QueryRunner, channelId: string): Promise<void> {
    const rows: { pending: ChatRecord[] | null }[] = await q.query(
      `SELECT pending FROM channel_sequences WHERE channel_id = $1`,
      [channelId],
    );
    const pending = rows[0]?.pending;
    if (!pending?.length) return;
    await this.produce(channelId, pending);
    await q.query(`UPDATE channel_sequences SET pending = NULL WHERE channel_id = $1`, [channelId]);
  }

  /**
   * Runs `work` holding the channel's advisory lock on one connection, after producing the
   * pending records a crashed or failed predecessor left behind.
   */
  private async locked<T>(channelId: string, work: (q: QueryRunner) => Promise<T>): Promise<T> {
    const q = this.source.createQueryRunner();
    await q.connect();
    try {
      await q.query(`SELECT pg_advisory_lock($1::bigint)`, [channelId]);
      try {
        await this.producePending(q, channelId);
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
