import type { SnowflakeGenerator } from '@echopulse/service-kit';
import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage, ChatRecord } from './chat-message';

/** A new message before it has an id, a seq and a time. */
export type MessageDraft = Omit<ChatMessage, 'id' | 'seq' | 'createdAt'>;

/** Produces records of one channel, in order; resolves once Kafka holds them durably. */
export type Produce = (channelId: string, records: ChatRecord[]) => Promise<void>;

export type Created = { message: ChatMessage; duplicate: boolean };

/**
 * An edit or delete as plain data, so that it can be forwarded to the instance that owns the
 * channel; `settle` produces nothing new, only what is still pending.
 */
export type ChangeRequest =
  | {
      kind: 'edit';
      messageId: string;
      actorId: string;
      content: string;
      mentions: ChatMessage['mentions'];
    }
  | { kind: 'delete'; messageId: string; actorId: string; mayModerate: boolean }
  | { kind: 'settle' };

/** Turns a change into its record while the channel is owned, or throws to refuse it. */
export type MakeChange = (
  channelId: string,
  request: ChangeRequest,
) => Promise<ChatRecord | undefined>;

/** Another instance owns the channel: the caller forwards to it (see SequencerRouter). */
export class NotOwner extends Error {
  constructor(readonly channelId: string) {
    super(`channel ${channelId} is sequenced by another instance`);
    this.name = 'NotOwner';
  }
}

interface CreateJob {
  kind: 'create';
  channelId: string;
  draft: MessageDraft;
  nonce: string;
  resolve: (result: Created) => void;
  reject: (error: unknown) => void;
}

interface ChangeJob {
  kind: 'change';
  channelId: string;
  request: ChangeRequest;
  resolve: (record: ChatRecord | undefined) => void;
  reject: (error: unknown) => void;
}

type Job = CreateJob | ChangeJob;

/** A channel this instance sequences: it holds the channel's advisory lock. */
interface Owned {
  /** Claimed in the database, not (known to be) on Kafka: a predecessor's, or ours after a failure. */
  unproduced: ChatRecord[];
  /** `pending` is set in the database for records already produced: clear it on release. */
  dirty: boolean;
  lastUsed: number;
}

/** A channel's records of one tick, and how to answer its jobs once they are produced or not. */
interface Outgoing {
  records: ChatRecord[];
  done: (() => void)[];
  fail: ((error: unknown) => void)[];
}

/** What SEQUENCE_SQL answers. */
interface SequencedRow {
  /** [author id, nonce, seq] of each nonce that was new, in queue order. */
  assigned: [string, string, number][];
}

/**
 * One tick's creates of every channel in one statement. $1: [{ord, channel_id, author_id, nonce,
 * id, message}]; $2: [{channel_id, pending}] — records still unproduced, which stay pending ahead
 * of the new ones. Under the channels' locks the counters cannot move, so the statement reads
 * them, numbers each channel's new nonces in queue order, stores every message on its nonce and
 * sets each counter and `pending`. A nonce claimed meanwhile by another instance (a client
 * reusing one on two channels) makes it fail on purpose and run again.
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

/**
 * The advisory lock key of channel $1: advisory locks are per database, and deployments (tests,
 * benchmark runs) may share one with a schema each, so the key hashes the schema in.
 */
export const LOCK_KEY = `hashtextextended('chat-sequence/' || current_schema() || '/' || $1::text, 0)`;

/**
 * One round trip: the statement commits just after the unlock inside it, so a next owner may,
 * rarely, still see `pending` and produce it again (consumers drop it by seq).
 */
const CLEAR_AND_UNLOCK_SQL = `
WITH cleared AS (UPDATE channel_sequences SET pending = NULL WHERE channel_id = $1)
SELECT pg_advisory_unlock(${LOCK_KEY})`;

/** Most messages of one channel sequenced in one tick. */
const MAX_BATCH = 200;

export interface SequencerOptions {
  /** A channel with no work for this long is let go (its lock released). Default 30 s. */
  idleMs?: number;
  /**
   * After a tick, the next one waits this long when work is queued, so it carries more sends:
   * fewer statements and Kafka requests under load, for at most this much latency. Default 0.
   */
  lingerMs?: number;
  /** Told when this instance starts and stops owning a channel (the router's hints). */
  onOwned?: (channelId: string) => void;
  onReleased?: (channelId: string) => void;
}

/**
 * Gives messages their per-channel `seq` and puts them on Kafka (README "Sequencing").
 *
 * One instance owns a channel at a time: it holds a session-level advisory lock on the channel
 * id on its one sequencing connection, taken on the first send it sees for the channel and let go
 * after the channel has been idle. Sends that reach another instance are forwarded to the owner
 * (SequencerRouter), so a channel's sends never wait for a lock. The owner works in ticks: each
 * tick takes every owned channel's queued sends, sequences them all in ONE statement (COMMITted
 * before producing: Kafka never holds a seq the database forgot), and produces them in one Kafka
 * request; the next tick starts once Kafka acknowledged, so each channel's records reach Kafka in
 * seq order. If the owner dies between COMMIT and the ack, its locks die with its connection and
 * the next owner produces the channel's `pending` records first — consumers drop the duplicates
 * by seq.
 */
export class Sequencer {
  private conn: { q: QueryRunner; client: PoolClient } | undefined;
  private connecting: Promise<{ q: QueryRunner; client: PoolClient }> | undefined;
  private readonly owned = new Map<string, Owned>();
  private readonly claiming = new Map<string, Promise<boolean>>();
  private readonly releasing = new Map<string, Promise<void>>();
  private readonly queues = new Map<string, Job[]>();
  private running: Promise<void> | undefined;
  private readonly idleMs: number;
  private readonly lingerMs: number;
  private readonly sweep: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly source: DataSource,
    private readonly ids: SnowflakeGenerator,
    private readonly produce: Produce,
    private readonly makeChange: MakeChange,
    private readonly options: SequencerOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 30_000;
    this.lingerMs = options.lingerMs ?? 0;
    this.sweep = setInterval(() => this.kick(), Math.max(50, this.idleMs / 2));
    this.sweep.unref();
  }

  owns(channelId: string): boolean {
    return this.owned.has(channelId);
  }

  /** Channels this instance sequences now. */
  get ownedChannels(): string[] {
    return [...this.owned.keys()];
  }

  /**
   * Lets go of a channel now rather than after idleMs (it was deleted: its purge waits for the
   * lock). Whatever is queued for it still runs first.
   */
  letGo(channelId: string): void {
    const owned = this.owned.get(channelId);
    if (!owned) return;
    owned.lastUsed = 0;
    this.kick();
  }

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
  async create(draft: MessageDraft, nonce: string): Promise<Created> {
    await this.own(draft.channelId);
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'create', channelId: draft.channelId, draft, nonce, resolve, reject }),
    );
  }

  /**
   * Produces an edit or delete in the channel's order, after every message sequenced before it
   * (and whatever is still pending); `settle` produces only the pending records.
   */
  async change(channelId: string, request: ChangeRequest): Promise<ChatRecord | undefined> {
    await this.own(channelId);
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'change', channelId, request, resolve, reject }),
    );
  }

  /** Makes sure the channel's claimed records reached Kafka (for a resend of a nonce). */
  async settle(channelId: string): Promise<void> {
    await this.change(channelId, { kind: 'settle' });
  }

  private async own(channelId: string): Promise<void> {
    if (this.stopped) throw new NotOwner(channelId); // another instance takes it over
    if (this.owned.has(channelId)) return;
    if (!(await this.claim(channelId))) throw new NotOwner(channelId);
  }

  /** Takes the channel unless another instance holds it: true when this instance owns it now. */
  private claim(channelId: string): Promise<boolean> {
    if (this.owned.has(channelId)) return Promise.resolve(true);
    let claim = this.claiming.get(channelId);
    if (!claim) {
      claim = this.tryClaim(channelId).finally(() => this.claiming.delete(channelId));
      this.claiming.set(channelId, claim);
    }
    return claim;
  }

  private async tryClaim(channelId: string): Promise<boolean> {
    // A release of this channel may be under way: let it finish first, so the lock is not taken
    // twice on one session (advisory locks nest) and released once.
    await this.releasing.get(channelId);
    if (this.owned.has(channelId)) return true;
    const { client } = await this.connection();
    const [lock] = (
      await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`,
        [channelId],
      )
    ).rows;
    if (!lock?.locked) return false;
    // Read after the lock: what a predecessor claimed but may not have produced.
    const rows = (
      await client.query<{ pending: ChatRecord[] | null }>(
        `SELECT pending FROM channel_sequences WHERE channel_id = $1`,
        [channelId],
      )
    ).rows;
    const pending = rows[0]?.pending ?? [];
    this.owned.set(channelId, { unproduced: pending, dirty: false, lastUsed: Date.now() });
    this.options.onOwned?.(channelId);
    return true;
  }

  /** The sequencing connection: every lock of this instance lives on it. */
  private async connection(): Promise<{ q: QueryRunner; client: PoolClient }> {
    if (this.conn) return this.conn;
    this.connecting ??= (async () => {
      const q = this.source.createQueryRunner();
      const client = (await q.connect()) as PoolClient;
      const conn = { q, client };
      const lost = (error: unknown) => this.lost(conn, error);
      client.once('error', lost);
      client.once('end', () => lost(new Error('the sequencing connection ended')));
      this.conn = conn;
      return conn;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** The connection died, and every lock with it: nothing queued may be sequenced here now. */
  private lost(conn: { q: QueryRunner }, error: unknown): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    for (const channelId of this.owned.keys()) this.options.onReleased?.(channelId);
    this.owned.clear();
    for (const queue of this.queues.values()) for (const job of queue) job.reject(error);
    this.queues.clear();
    void conn.q.release().catch(() => undefined);
  }

  private enqueue(job: Job): void {
    // Released between own() and here (idle, or the connection died): the caller routes again.
    if (!this.owned.has(job.channelId)) return job.reject(new NotOwner(job.channelId));
    const queue = this.queues.get(job.channelId);
    if (queue) queue.push(job);
    else this.queues.set(job.channelId, [job]);
    this.kick();
  }

  /** Runs ticks until nothing is queued, then lets idle channels go. One loop at a time. */
  private kick(): void {
    if (this.running) return;
    this.running = (async () => {
      try {
        while (this.queues.size) {
          await this.tick();
          // Let the next tick gather a little more: per tick, not per message, is what costs.
          if (this.lingerMs && this.queues.size) await sleep(this.lingerMs);
        }
        await this.releaseIdle();
      } finally {
        this.running = undefined;
      }
      if (this.queues.size) this.kick(); // queued while the loop was finishing
    })();
  }

  /**
   * One tick: for every channel with work, a run of creates (all sequenced in one statement) or
   * a single change; then everything is produced in one turn, so in one Kafka request.
   */
  private async tick(): Promise<void> {
    const creates = new Map<string, CreateJob[]>();
    const changes: ChangeJob[] = [];
    for (const [channelId, queue] of this.queues) {
      if (queue[0]!.kind === 'change') {
        changes.push(queue.shift() as ChangeJob);
      } else {
        let n = 1;
        while (n < queue.length && n < MAX_BATCH && queue[n]!.kind === 'create') n++;
        creates.set(channelId, queue.splice(0, n) as CreateJob[]);
      }
      if (!queue.length) this.queues.delete(channelId);
    }
    const outgoing = new Map<string, Outgoing>();

    await Promise.all([
      this.sequenceAll(creates, outgoing),
      ...changes.map(async (job) => {
        try {
          const record = await this.makeChange(job.channelId, job.request);
          outgoing.set(job.channelId, {
            records: record ? [record] : [],
            done: [() => job.resolve(record)],
            fail: [job.reject],
          });
        } catch (error) {
          job.reject(error); // a refusal (not the author…): the channel is fine
        }
      }),
    ]);

    await Promise.all(
      [...outgoing].map(async ([channelId, { records, done, fail }]) => {
        const owned = this.owned.get(channelId);
        if (!owned) {
          for (const reject of fail) reject(new NotOwner(channelId));
          return;
        }
        owned.lastUsed = Date.now();
        const all = [...owned.unproduced, ...records];
        try {
          if (all.length) await this.produce(channelId, all);
        } catch (error) {
          // Claimed creates stay pending (in the database too) and go out first next time.
          owned.unproduced = all.filter((r) => r.type === 'message.created');
          for (const reject of fail) reject(error);
          return;
        }
        if (all.length) owned.dirty = true;
        owned.unproduced = [];
        for (const resolve of done) resolve();
      }),
    );
  }

  /** Sequences every channel's run of creates in one statement (see SEQUENCE_SQL). */
  private async sequenceAll(
    creates: Map<string, CreateJob[]>,
    outgoing: Map<string, Outgoing>,
  ): Promise<void> {
    if (!creates.size) return;
    const jobs = [...creates.values()].flat();
    const now = new Date().toISOString();
    const templates = jobs.map((job, ord) => {
      const { draft } = job;
      const message: Omit<ChatMessage, 'seq'> = {
        id: this.ids.next(),
        channelId: job.channelId,
        guildId: draft.guildId,
        author: draft.author,
        content: draft.content,
        mentions: draft.mentions,
        createdAt: now,
        ...(draft.replyTo ? { replyTo: draft.replyTo } : {}),
      };
      return {
        ord,
        channel_id: job.channelId,
        author_id: draft.author.id,
        nonce: job.nonce,
        id: message.id,
        message,
      };
    });
    const keep = [...creates.keys()]
      .map((channelId) => ({
        channel_id: channelId,
        pending: this.owned.get(channelId)?.unproduced,
      }))
      .filter((k) => k.pending?.length);
    let row: SequencedRow | undefined;
    try {
      const { client } = await this.connection();
      for (let attempt = 0; !row; attempt++) {
        try {
          [row] = (
            await client.query<SequencedRow>(SEQUENCE_SQL, [
              JSON.stringify(templates),
              JSON.stringify(keep),
            ])
          ).rows;
        } catch (error) {
          if ((error as { code?: string }).code !== '22P02' || attempt >= 3) throw error;
        }
      }
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    const seqOf = new Map(
      row.assigned.map(([author, nonce, seq]) => [`${author}\u0000${nonce}`, Number(seq)]),
    );
    const answers = templates.map((t): ChatMessage | undefined => {
      const key = `${t.author_id}\u0000${t.nonce}`;
      const seq = seqOf.get(key);
      if (seq === undefined) return undefined;
      seqOf.delete(key); // a nonce twice in one tick: its first job has it
      return { ...t.message, seq };
    });
    let i = 0;
    for (const [channelId, channelJobs] of creates) {
      const records: ChatRecord[] = [];
      const done: (() => void)[] = [];
      for (const job of channelJobs) {
        const message = answers[i++];
        if (message) records.push({ type: 'message.created', message, nonce: job.nonce });
        done.push(() => void this.answer(job, message));
      }
      outgoing.set(channelId, { records, done, fail: channelJobs.map((job) => job.reject) });
    }
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

  /** Lets go of channels idle for idleMs (all of them when stopping). */
  private async releaseIdle(): Promise<void> {
    const before = Date.now() - this.idleMs;
    for (const [channelId, owned] of this.owned) {
      if (!this.stopped && owned.lastUsed > before) continue;
      if (this.queues.has(channelId) || this.claiming.has(channelId)) continue;
      const release = this.release(channelId, owned).finally(() =>
        this.releasing.delete(channelId),
      );
      this.releasing.set(channelId, release);
      await release;
    }
  }

  private async release(channelId: string, owned: Owned): Promise<void> {
    // Not owned from this moment on: a send arriving now claims again, after this release.
    this.owned.delete(channelId);
    const conn = this.conn;
    if (!conn) return;
    if (owned.unproduced.length) {
      // Produce what a failure left before letting go; if Kafka still refuses, it stays pending.
      await this.produce(channelId, owned.unproduced).then(
        () => ((owned.unproduced = []), (owned.dirty = true)),
        () => undefined,
      );
    }
    this.options.onReleased?.(channelId);
    await conn.client
      .query(
        owned.dirty && !owned.unproduced.length
          ? CLEAR_AND_UNLOCK_SQL
          : `SELECT pg_advisory_unlock(${LOCK_KEY})`,
        [channelId],
      )
      .catch(() => undefined); // a dead connection releases the lock by itself
  }

  /** Finishes what is queued, lets every channel go and returns the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweep);
    while (this.running) await this.running;
    await this.releaseIdle();
    const conn = this.conn;
    this.conn = undefined;
    await conn?.q.release().catch(() => undefined);
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
