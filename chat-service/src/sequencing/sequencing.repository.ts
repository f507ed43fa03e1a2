import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../messages/chat-message';

/** One new message of a tick, before it has its seq (a row of SEQUENCE_SQL's $1). */
export interface Unnumbered {
  /** Its place in the tick's queue order: seqs follow it, and the first send of a nonce wins. */
  ord: number;
  channel_id: string;
  author_id: string;
  nonce: string;
  id: string;
  message: Omit<ChatMessage, 'seq'>;
}

/** A channel's records still unproduced, which stay pending ahead of its new ones. */
export interface StillPending {
  channel_id: string;
  pending: ChatRecord[];
}

/** [author id, nonce, seq] of a nonce that was new, in queue order. */
export type Assigned = [authorId: string, nonce: string, seq: number];

/**
 * The one connection every channel lock of an instance lives on (session-level advisory locks):
 * when it dies, every lock dies with it and `onLost` is told.
 */
export interface SequencingSession {
  /**
   * Takes the channel's lock unless another session holds it: then the records a predecessor
   * claimed but may not have produced (read after the lock), otherwise undefined.
   */
  lock(channelId: string): Promise<ChatRecord[] | undefined>;
  /**
   * Numbers every channel's new messages (per channel, in `ord` order, after its counter),
   * stores each on its nonce and sets each channel's `pending` to `keep` + its new records. A
   * nonce already known gets no seq. Committed when it resolves.
   */
  sequence(rows: Unnumbered[], keep: StillPending[]): Promise<Assigned[]>;
  /**
   * Lets the channel's lock go, clearing its `pending` first when `clearPending` (everything it
   * holds reached Kafka). Never fails: a dead connection releases its locks by itself.
   */
  unlock(channelId: string, clearPending: boolean): Promise<void>;
  /** Returns the connection (its locks go with it). */
  close(): Promise<void>;
}

/** What the sequencer keeps in the database; SequencingRepository over Postgres. */
export interface SequencingStore {
  /** Opens a session; `onLost` is called once if its connection errors or ends. */
  openSession(onLost: (error: unknown) => void): Promise<SequencingSession>;
  /** The message a nonce already produced, if any. */
  byNonce(authorId: string, nonce: string): Promise<ChatMessage | undefined>;
  /** The state a message had when sequenced, while its nonce is remembered. */
  byId(messageId: string): Promise<ChatMessage | undefined>;
  /** Forgets nonces older than `seconds`; how many were forgotten. */
  expireNonces(seconds: number): Promise<number>;
}

/**
 * One tick's creates of every channel in one statement. $1: Unnumbered[]; $2: StillPending[].
 * Under the channels' locks the counters cannot move, so the statement reads them, numbers each
 * channel's new nonces in queue order, stores every message on its nonce and sets each counter
 * and `pending`. A nonce claimed meanwhile by another instance (a client reusing one on two
 * channels) makes it fail on purpose (22P02) and run again.
 */
const SEQUENCE_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS t(ord int, channel_id bigint, author_id text, nonce text, id bigint, message jsonb)
), keep AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS k(channel_id bigint, pending jsonb)
), fresh AS (
  SELECT DISTINCT ON (i.author_id, i.nonce) i.*
  FROM input i
  WHERE NOT EXISTS (
    SELECT 1 FROM message_nonces m WHERE m.author_id = i.author_id AND m.nonce = i.nonce)
  ORDER BY i.author_id, i.nonce, i.ord
), numbered AS (
  SELECT f.*,
         coalesce(cs.last_seq, 0) + row_number() OVER (PARTITION BY f.channel_id ORDER BY f.ord)
           AS seq
  FROM fresh f LEFT JOIN channel_sequences cs ON cs.channel_id = f.channel_id
), ins AS (
  INSERT INTO message_nonces (author_id, nonce, channel_id, message_id, seq, message)
  SELECT author_id, nonce, channel_id, id, seq, message || jsonb_build_object('seq', seq)
  FROM numbered
  ON CONFLICT (author_id, nonce) DO NOTHING
  RETURNING 1
), per_channel AS (
  SELECT channel_id, max(seq) AS last_seq,
         jsonb_agg(jsonb_build_object(
           'type', 'message.created',
           'message', message || jsonb_build_object('seq', seq),
           'nonce', nonce) ORDER BY seq) AS list
  FROM numbered GROUP BY channel_id
), up AS (
  INSERT INTO channel_sequences AS cs (channel_id, last_seq, pending)
  SELECT p.channel_id, p.last_seq, coalesce(k.pending, '[]'::jsonb) || p.list
  FROM per_channel p LEFT JOIN keep k ON k.channel_id = p.channel_id
  ON CONFLICT (channel_id) DO UPDATE SET last_seq = excluded.last_seq, pending = excluded.pending
  RETURNING 1
)
SELECT coalesce((SELECT json_agg(json_build_array(author_id, nonce, seq) ORDER BY ord)
                 FROM numbered), '[]') AS assigned,
       (SELECT count(*) FROM up) AS updated,
       CASE WHEN (SELECT count(*) FROM ins) <> (SELECT count(*) FROM numbered)
            THEN ('nonce claimed concurrently: ' || (SELECT count(*) FROM ins))::int END AS race
`;

/** How often SEQUENCE_SQL runs again after losing a nonce race, before the tick fails. */
const RACE_RETRIES = 3;

/**
 * The advisory lock key of channel $1: advisory locks are per database, and deployments (tests,
 * benchmark runs) may share one with a schema each, so the key hashes the schema in. The purge
 * worker takes the same key to know no instance sequences a deleted channel any more.
 */
export const LOCK_KEY = `hashtextextended('chat-sequence/' || current_schema() || '/' || $1::text, 0)`;

/**
 * One round trip: the statement commits just after the unlock inside it, so a next owner may,
 * rarely, still see `pending` and produce it again (consumers drop it by seq).
 */
const CLEAR_AND_UNLOCK_SQL = `
WITH cleared AS (UPDATE channel_sequences SET pending = NULL WHERE channel_id = $1)
SELECT pg_advisory_unlock(${LOCK_KEY})`;

/** The message_nonces and channel_sequences tables, and the channel locks (README "Sequencing"). */
export class SequencingRepository implements SequencingStore {
  constructor(private readonly source: DataSource) {}

  async openSession(onLost: (error: unknown) => void): Promise<SequencingSession> {
    const runner = this.source.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    let lost = false;
    const lose = (error: unknown) => {
      if (lost) return;
      lost = true;
      onLost(error);
      void runner.release().catch(() => undefined);
    };
    client.once('error', lose);
    client.once('end', () => lose(new Error('the sequencing connection ended')));

    return {
      async lock(channelId) {
        const [lock] = (
          await client.query<{ locked: boolean }>(
            `SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`,
            [channelId],
          )
        ).rows;
        if (!lock?.locked) return undefined;
        const rows = (
          await client.query<{ pending: ChatRecord[] | null }>(
            `SELECT pending FROM channel_sequences WHERE channel_id = $1`,
            [channelId],
          )
        ).rows;
        return rows[0]?.pending ?? [];
      },

      async sequence(rows, keep) {
        for (let attempt = 0; ; attempt++) {
          try {
            const [row] = (
              await client.query<{ assigned: Assigned[] }>(SEQUENCE_SQL, [
                JSON.stringify(rows),
                JSON.stringify(keep),
              ])
            ).rows;
            return row!.assigned.map(([author, nonce, seq]) => [author, nonce, Number(seq)]);
          } catch (error) {
            if ((error as { code?: string }).code !== '22P02' || attempt >= RACE_RETRIES)
              throw error;
          }
        }
      },

      async unlock(channelId, clearPending) {
        await client
          .query(clearPending ? CLEAR_AND_UNLOCK_SQL : `SELECT pg_advisory_unlock(${LOCK_KEY})`, [
            channelId,
          ])
          .catch(() => undefined); // a dead connection releases the lock by itself
      },

      async close() {
        lost = true;
        await runner.release().catch(() => undefined);
      },
    };
  }

  async byNonce(authorId: string, nonce: string): Promise<ChatMessage | undefined> {
    const rows: { message: ChatMessage | null }[] = await this.source.query(
      `SELECT message FROM message_nonces WHERE author_id = $1 AND nonce = $2`,
      [authorId, nonce],
    );
    return rows[0]?.message ?? undefined;
  }

  async byId(messageId: string): Promise<ChatMessage | undefined> {
    const rows: { message: ChatMessage | null }[] = await this.source.query(
      `SELECT message FROM message_nonces WHERE message_id = $1`,
      [messageId],
    );
    return rows[0]?.message ?? undefined;
  }

  async expireNonces(seconds: number): Promise<number> {
    const result: [unknown[], number] = await this.source.query(
      `DELETE FROM message_nonces WHERE created_at < now() - make_interval(secs => $1)`,
      [seconds],
    );
    return result[1];
  }
}
