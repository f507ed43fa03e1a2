import type { SnowflakeGenerator } from '@echopulse/service-kit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../messages/chat-message';
import { Leases, type Lease } from './leases';
import type { SequencingStore, Unnumbered } from './sequencing.repository';

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

/** A channel's records of one tick, and how to answer its jobs once they are produced or not. */
interface Outgoing {
  records: ChatRecord[];
  done: (() => void)[];
  fail: ((error: unknown) => void)[];
}

/** Most messages of one channel sequenced in one tick. */
export const MAX_BATCH = 200;

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
 * One instance owns a channel at a time (Leases: a session-level advisory lock on the channel
 * id, taken on the first send it sees for the channel and let go after the channel has been
 * idle). Sends that reach another instance are forwarded to the owner (SequencerRouter), so a
 * channel's sends never wait for a lock. The owner works in ticks: each tick takes every owned
 * channel's queued sends, sequences them all in ONE statement (COMMITted before producing: Kafka
 * never holds a seq the database forgot), and produces them in one Kafka request; the next tick
 * starts once Kafka acknowledged, so each channel's records reach Kafka in seq order. If the
 * owner dies between COMMIT and the ack, its locks die with its connection and the next owner
 * produces the channel's `pending` records first — consumers drop the duplicates by seq.
 */
export class Sequencer {
  private readonly leases: Leases;
  private readonly queues = new Map<string, Job[]>();
  private running: Promise<void> | undefined;
  private readonly lingerMs: number;
  private readonly sweep: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly store: SequencingStore,
    private readonly ids: SnowflakeGenerator,
    private readonly produce: Produce,
    private readonly makeChange: MakeChange,
    options: SequencerOptions = {},
  ) {
    const idleMs = options.idleMs ?? 30_000;
    this.lingerMs = options.lingerMs ?? 0;
    this.leases = new Leases(store, {
      idleMs,
      ...(options.onOwned ? { onOwned: options.onOwned } : {}),
      ...(options.onReleased ? { onReleased: options.onReleased } : {}),
      onLost: (error) => this.lost(error),
    });
    this.sweep = setInterval(() => this.kick(), Math.max(50, idleMs / 2));
    this.sweep.unref();
  }

  owns(channelId: string): boolean {
    return this.leases.owns(channelId);
  }

  /** Channels this instance sequences now. */
  get ownedChannels(): string[] {
    return this.leases.channels;
  }

  /**
   * Lets go of a channel now rather than after idleMs (it was deleted: its purge waits for the
   * lock). Whatever is queued for it still runs first.
   */
  letGo(channelId: string): void {
    if (this.leases.expire(channelId)) this.kick();
  }

  /** The message a nonce already produced, if any. */
  byNonce(authorId: string, nonce: string): Promise<ChatMessage | undefined> {
    return this.store.byNonce(authorId, nonce);
  }

  /** The state a message had when sequenced, while its nonce is remembered. */
  byId(messageId: string): Promise<ChatMessage | undefined> {
    return this.store.byId(messageId);
  }

  /** Forgets nonces older than `seconds` (a resend after that makes a new message). */
  expireNonces(seconds: number): Promise<number> {
    return this.store.expireNonces(seconds);
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
    if (!(await this.leases.claim(channelId))) throw new NotOwner(channelId);
  }

  /** The session died, and every lock with it: nothing queued may be sequenced here now. */
  private lost(error: unknown): void {
    for (const queue of this.queues.values()) for (const job of queue) job.reject(error);
    this.queues.clear();
  }

  private enqueue(job: Job): void {
    // Released between own() and here (idle, or the connection died): the caller routes again.
    if (!this.leases.owns(job.channelId)) return job.reject(new NotOwner(job.channelId));
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

  private releaseIdle(): Promise<void> {
    return this.leases.releaseIdle(
      this.stopped,
      (channelId) => this.queues.has(channelId),
      (channelId, lease) =>
        // Produce what a failure left before letting go; if Kafka still refuses, it stays pending.
        this.produce(channelId, lease.unproduced).then(
          () => ((lease.unproduced = []), (lease.dirty = true), undefined),
          () => undefined,
        ),
    );
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
      [...outgoing].map(([channelId, out]) =>
        this.send(channelId, this.leases.get(channelId), out),
      ),
    );
  }

  /** Produces a channel's records of the tick after whatever it still holds unproduced. */
  private async send(
    channelId: string,
    lease: Lease | undefined,
    { records, done, fail }: Outgoing,
  ): Promise<void> {
    if (!lease) {
      for (const reject of fail) reject(new NotOwner(channelId));
      return;
    }
    lease.lastUsed = Date.now();
    const all = [...lease.unproduced, ...records];
    try {
      if (all.length) await this.produce(channelId, all);
    } catch (error) {
      // Claimed creates stay pending (in the database too) and go out first next time.
      lease.unproduced = all.filter((r) => r.type === 'message.created');
      for (const reject of fail) reject(error);
      return;
    }
    if (all.length) lease.dirty = true;
    lease.unproduced = [];
    for (const resolve of done) resolve();
  }

  /** Sequences every channel's run of creates in one statement (SequencingSession.sequence). */
  private async sequenceAll(
    creates: Map<string, CreateJob[]>,
    outgoing: Map<string, Outgoing>,
  ): Promise<void> {
    if (!creates.size) return;
    const jobs = [...creates.values()].flat();
    const now = new Date().toISOString();
    const rows = jobs.map((job, ord): Unnumbered => {
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
    const keep = [...creates.keys()].flatMap((channelId) => {
      const pending = this.leases.get(channelId)?.unproduced;
      return pending?.length ? [{ channel_id: channelId, pending }] : [];
    });
    let assigned;
    try {
      assigned = await (await this.leases.connection()).sequence(rows, keep);
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    const seqOf = new Map(assigned.map(([author, nonce, seq]) => [`${author}\u0000${nonce}`, seq]));
    const answers = rows.map((t): ChatMessage | undefined => {
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
      const original = await this.store.byNonce(job.draft.author.id, job.nonce);
      if (original) job.resolve({ message: original, duplicate: true });
      else job.reject(new Error('nonce claimed but its message is missing'));
    } catch (error) {
      job.reject(error);
    }
  }

  /** Finishes what is queued, lets every channel go and returns the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweep);
    while (this.running) await this.running;
    await this.releaseIdle();
    await this.leases.close();
  }
}
