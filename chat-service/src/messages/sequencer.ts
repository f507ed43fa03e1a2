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

/** One holding of a channel's lock. */
interface Hold {
  q: QueryRunner;
  channelId: string;
  /** What a predecessor left pending has been produced (or there was none). */
  recovered: boolean;
  /** `pending` is set in the database for records already produced: clear it before unlocking. */
  dirty: boolean;
}

/** What SEQUENCE_SQL answers. */
interface SequencedRow {
  prev_pending: ChatRecord[] | null;
  /** [author id, nonce, seq] of each nonce that was new, in queue order. */
  assigned: [string, string, number][];
}

/**
 * $1: the batch as [{ord, author_id, nonce, id, message}], $2: the channel, $3: whether what is
 * pending from a predecessor stays pending ahead of the new records. See Sequencer.sequence.
 */
const SEQUENCE_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS t(ord int, author_id text, nonce text, id bigint, message jsonb)
), prev AS (
  SELECT last_seq, pending FROM channel_sequences WHERE channel_id = $2
), fresh AS (
  SELECT DISTINCT ON (i.author_id, i.nonce) i.*
  FROM input i
  WHERE NOT EXISTS (
    SELECT 1 FROM message_nonces m WHERE m.author_id = i.author_id AND m.nonce = i.nonce)
  ORDER BY i.author_id, i.nonce, i.ord
), numbered AS (
  SELECT f.*, coalesce((SELECT last_seq FROM prev), 0) + row_number() OVER (ORDER BY f.ord) AS seq
  FROM fresh f
), records AS (
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'type', 'message.created',
           'message', n.message || jsonb_build_object('seq', n.seq),
           'nonce', n.nonce) ORDER BY n.seq), '[]'::jsonb) AS list
  FROM numbered n
), ins AS (
  INSERT INTO message_nonces (author_id, nonce, channel_id, message_id, seq, message)
  SELECT author_id, nonce, $2, id, seq, message || jsonb_build_object('seq', seq) FROM numbered
  ON CONFLICT (author_id, nonce) DO NOTHING
  RETURNING 1
), up AS (
  INSERT INTO channel_sequences AS cs (channel_id, last_seq, pending)
  SELECT $2, coalesce((SELECT last_seq FROM prev), 0) + (SELECT count(*) FROM numbered),
         CASE WHEN $3 THEN coalesce((SELECT pending FROM prev), '[]'::jsonb) ELSE '[]'::jsonb END
           || (SELECT list FROM records)
  ON CONFLICT (channel_id) DO UPDATE SET last_seq = excluded.last_seq, pending = excluded.pending
  RETURNING 1
)
SELECT (SELECT pending FROM prev) AS prev_pending,
       coalesce((SELECT json_agg(json_build_array(author_id, nonce, seq) ORDER BY ord)
                 FROM numbered), '[]') AS assigned,
       (SELECT count(*) FROM up) AS updated,
       CASE WHEN (SELECT count(*) FROM ins) <> (SELECT count(*) FROM numbered)
            THEN ('nonce claimed concurrently: ' || (SELECT count(*) FROM ins))::int END AS race
`;

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
        await this.locked(channelId, async (hold) => {
          for (let round = 0; queue.length && round < MAX_ROUNDS; round++) {
            const first = queue[0]!;
            if (first.kind === 'change') {
              queue.shift();
              let record: ChatRecord | undefined;
              failed = [first];
              await this.producePending(hold);
              failed = [];
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
            const messages = await this.sequence(hold, batch);
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

  /**
   * One batch in one statement (atomic without BEGIN/COMMIT round trips): under the channel's
   * lock the counter cannot move, so the statement reads it, numbers the batch's new nonces in
   * queue order, stores each message on its nonce, and sets the counter and `pending` (the
   * records, after what a predecessor left pending unless this hold produced that already).
   * Then the records are produced. A nonce claimed meanwhile through another channel (a client
   * reusing one) makes the statement fail on purpose and run again.
   */
  private async sequence(hold: Hold, batch: CreateJob[]): Promise<(ChatMessage | undefined)[]> {
    const { q, channelId } = hold;
    const now = new Date().toISOString();
    const templates = batch.map((job, ord) => {
      const { draft } = job;
      const message: Omit<ChatMessage, 'seq'> = {
        id: this.ids.next(),
        channelId,
        guildId: draft.guildId,
        author: draft.author,
        content: draft.content,
        mentions: draft.mentions,
        createdAt: now,
        ...(draft.replyTo ? { replyTo: draft.replyTo } : {}),
      };
      return { ord, author_id: draft.author.id, nonce: job.nonce, id: message.id, message };
    });
    let row: SequencedRow | undefined;
    for (let attempt = 0; !row; attempt++) {
      try {
        [row] = (await q.query(SEQUENCE_SQL, [
          JSON.stringify(templates),
          channelId,
          !hold.recovered,
        ])) as [SequencedRow];
      } catch (error) {
        if ((error as { code?: string }).code !== '22P02' || attempt >= 3) throw error;
      }
    }
    const previous = hold.recovered ? [] : (row.prev_pending ?? []);
    hold.recovered = true;
    const seqOf = new Map(
      row.assigned.map(([author, nonce, seq]) => [`${author}\u0000${nonce}`, seq]),
    );
    const messages = templates.map((t): ChatMessage | undefined => {
      const key = `${t.author_id}\u0000${t.nonce}`;
      const seq = seqOf.get(key);
      if (seq === undefined) return undefined;
      seqOf.delete(key); // a nonce twice in one batch: its first job has it
      return { ...t.message, seq: Number(seq) };
    });
    const records: ChatRecord[] = [];
    messages.forEach((message, i) => {
      if (message) records.push({ type: 'message.created', message, nonce: batch[i]!.nonce });
    });
    const toProduce = [...previous, ...records];
    if (toProduce.length) {
      await this.produce(channelId, toProduce);
      hold.dirty = true;
    }
    return messages;
  }

  /** Produces the records a crashed or failed predecessor claimed but may not have produced. */
  private async producePending(hold: Hold): Promise<void> {
    if (hold.recovered) return;
    const rows: { pending: ChatRecord[] | null }[] = await hold.q.query(
      `SELECT pending FROM channel_sequences WHERE channel_id = $1`,
      [hold.channelId],
    );
    const pending = rows[0]?.pending;
    if (pending?.length) {
      await this.produce(hold.channelId, pending);
      hold.dirty = true;
    }
    hold.recovered = true;
  }

  /**
   * Runs `work` holding the channel's advisory lock on one connection. Before giving the lock
   * up after success, `pending` is cleared (the records are on Kafka); after a failure it stays
   * for the next holder to produce.
   */
  private async locked<T>(channelId: string, work: (hold: Hold) => Promise<T>): Promise<T> {
    const q = this.source.createQueryRunner();
    await q.connect();
    try {
      await q.query(`SELECT pg_advisory_lock($1::bigint)`, [channelId]);
      const hold: Hold = { q, channelId, recovered: false, dirty: false };
      let ok = false;
      try {
        const result = await work(hold);
        ok = true;
        return result;
      } finally {
        if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
        // One round trip: the statement commits just after the unlock inside it, so a next
        // holder may, rarely, still see `pending` and produce it again (consumers drop it by seq).
        await q
          .query(
            ok && hold.dirty
              ? `WITH cleared AS (UPDATE channel_sequences SET pending = NULL WHERE channel_id = $1)
                 SELECT pg_advisory_unlock($1::bigint)`
              : `SELECT pg_advisory_unlock($1::bigint)`,
            [channelId],
          )
          .catch(() => undefined); // a dead connection releases the lock by itself
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
}
