import { createHash } from 'node:crypto';
import type { Logger } from '@echopulse/service-kit';
import { backoffDelay } from '@echopulse/service-kit/backoff';
import { FrameRejection } from '@echopulse/stomp-broker';
import type { RedisClientType } from 'redis';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../messages/chat-message';
import {
  NotOwner,
  type ChangeRequest,
  type Created,
  type MessageDraft,
  type Sequencer,
} from './sequencer';

type Operation =
  | { op: 'create'; draft: MessageDraft; nonce: string }
  | { op: 'change'; channelId: string; request: ChangeRequest };

type Reply =
  | { t: 'res'; id: number; ok: true; value: unknown }
  | { t: 'res'; id: number; ok: false; notOwner?: boolean; code?: string; message: string };

type Envelope = { t: 'req'; id: number; from: string; operation: Operation } | Reply;

/** What a forward came to: an answer, or a reason to route again. */
type Outcome = { answer: Reply } | { retry: 'gone' | 'timeout' | 'not-owner' };

/** Deletes the hint only if it still names this instance (a new owner may have written it). */
const RELEASE_HINT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

/** The Redis hash naming each owned channel's owner (field: channel id, value: instance id). */
export const ownerHintsKey = (prefix: string) => `${prefix}sequencer:owners`;

export interface SequencerRouterOptions {
  /** For PUBLISH and the owner hints; the router subscribes on a duplicate of it. */
  redis: RedisClientType;
  prefix: string;
  instanceId: string;
  logger: Logger;
  /** How long one forward waits for the owner's answer. Default 3 s. */
  forwardTimeoutMs?: number;
  /** How long an operation keeps routing (claiming, forwarding) before it fails. Default 10 s. */
  deadlineMs?: number;
  /** How often this instance says it is alive (for placing channels). Default 2 s. */
  heartbeatMs?: number;
  /** How many of the live instances sequence (the first by id); default 1. */
  sequencers?: number;
}

/**
 * Sends every create, edit and delete of a channel to the one instance that owns it (see
 * Sequencer): here when this instance owns the channel or can claim it, otherwise over Redis
 * pub/sub to the owner named by the hint it left in Redis. PUBLISH counts the receivers, so an
 * owner that died (its subscription gone with it) is noticed at once, and the channel is claimed
 * as soon as Postgres has dropped the dead owner's locks. Forwarding again after a timeout is
 * safe: a create carries its nonce, and the owner decides edits and deletes on the message's
 * current state.
 */
export class SequencerRouter {
  private subscriber: RedisClientType | undefined;
  private readonly inbox: string;
  private readonly hintsKey: string;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private readonly hints = new Map<string, string>();
  private counter = 0;
  private readonly instancesKey: string;
  /** Instances that said they were alive lately, this one included, by id. */
  private live: string[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;

  constructor(
    readonly sequencer: Sequencer,
    private readonly options: SequencerRouterOptions,
  ) {
    this.inbox = this.inboxOf(options.instanceId);
    this.hintsKey = ownerHintsKey(options.prefix);
    this.instancesKey = `${options.prefix}sequencer:instances`;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
  }

  private inboxOf(instanceId: string): string {
    return `${this.options.prefix}sequencer:${instanceId}`;
  }

  async start(): Promise<void> {
    const subscriber = this.options.redis.duplicate();
    subscriber.on('error', (error: Error) =>
      this.options.logger.warn({ err: error }, 'sequencer router: redis error'),
    );
    await subscriber.connect();
    await subscriber.subscribe(this.inbox, (raw) => this.receive(raw));
    this.subscriber = subscriber;
    await this.beat();
    this.heartbeat = setInterval(() => {
      this.beat().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'sequencer router: heartbeat failed'),
      );
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Says this instance is alive and reads which others are (silent for 3 beats: gone). */
  private async beat(): Promise<void> {
    const now = Date.now();
    const { redis, instanceId } = this.options;
    await redis.zAdd(this.instancesKey, { score: now, value: instanceId });
    await redis.zRemRangeByScore(this.instancesKey, 0, now - 3 * this.heartbeatMs);
    this.live = (await redis.zRange(this.instancesKey, 0, -1)).sort();
  }

  /**
   * The instance a channel nobody owns should go to. The sequencing instances are the first
   * `sequencers` live ones by id; among them, the highest hash of (instance, channel) wins
   * (rendezvous hashing), so channels spread evenly over them and move as little as possible
   * when instances come and go. Owned channels stay where they are until they idle.
   */
  private preferred(channelId: string): string {
    const live = this.live.length ? this.live : [this.options.instanceId];
    const candidates = live.slice(0, this.options.sequencers ?? 1);
    let best = this.options.instanceId;
    let bestScore = '';
    for (const id of candidates) {
      const score = createHash('sha1').update(`${id}/${channelId}`).digest('hex');
      if (score > bestScore) [best, bestScore] = [id, score];
    }
    return best;
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.options.redis
      .zRem(this.instancesKey, this.options.instanceId)
      .catch(() => undefined);
    await this.subscriber?.close().catch(() => undefined);
    this.subscriber = undefined;
    for (const settle of this.waiting.values())
      settle({ t: 'res', id: 0, ok: false, message: 'the instance is stopping' });
    this.waiting.clear();
  }

  /** For the Sequencer: this instance now owns the channel. */
  readonly owned = (channelId: string): void => {
    this.hints.set(channelId, this.options.instanceId);
    this.options.redis
      .hSet(this.hintsKey, channelId, this.options.instanceId)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error, channelId }, 'could not publish a channel owner'),
      );
  };

  /** For the Sequencer: this instance let the channel go. */
  readonly released = (channelId: string): void => {
    this.hints.delete(channelId);
    this.options.redis
      .eval(RELEASE_HINT, {
        keys: [this.hintsKey],
        arguments: [channelId, this.options.instanceId],
      })
      .catch(() => undefined); // a stale hint only costs a forward that finds no owner
  };

  byNonce(authorId: string, nonce: string): Promise<ChatMessage | undefined> {
    return this.sequencer.byNonce(authorId, nonce);
  }

  byId(messageId: string): Promise<ChatMessage | undefined> {
    return this.sequencer.byId(messageId);
  }

  create(draft: MessageDraft, nonce: string): Promise<Created> {
    return this.route(draft.channelId, { op: 'create', draft, nonce }) as Promise<Created>;
  }

  change(channelId: string, request: ChangeRequest): Promise<ChatRecord | undefined> {
    return this.route(channelId, { op: 'change', channelId, request }) as Promise<
      ChatRecord | undefined
    >;
  }

  async settle(channelId: string): Promise<void> {
    await this.change(channelId, { kind: 'settle' });
  }

  private local(operation: Operation): Promise<unknown> {
    return operation.op === 'create'
      ? this.sequencer.create(operation.draft, operation.nonce)
      : this.sequencer.change(operation.channelId, operation.request);
  }

  private async route(channelId: string, operation: Operation): Promise<unknown> {
    const self = this.options.instanceId;
    const deadline = Date.now() + (this.options.deadlineMs ?? 10_000);
    for (let attempt = 0; ; attempt++) {
      // A known owner elsewhere gets it straight away: no claim (a Postgres round trip) first.
      let owner = this.sequencer.owns(channelId) ? self : this.hints.get(channelId);
      // First try: a channel nobody owns goes to its preferred instance, which claims it there.
      if (!owner && attempt === 0)
        owner = (await this.ownerOf(channelId)) ?? this.preferred(channelId);
      if (!owner || owner === self) {
        try {
          return await this.local(operation);
        } catch (error) {
          if (!(error instanceof NotOwner)) throw error;
        }
        owner = await this.ownerOf(channelId);
      }
      if (owner && owner !== self) {
        const outcome = await this.forward(owner, operation);
        if ('answer' in outcome) return this.unwrap(outcome.answer);
        this.hints.delete(channelId);
      }
      // No owner named yet (the claimer's hint is on its way), or it died: claim again shortly.
      if (Date.now() > deadline)
        throw new Error(`no instance could sequence channel ${channelId} (last: ${owner ?? '-'})`);
      const delay = backoffDelay(attempt, { initialMs: 5, maxMs: 200, jitter: 'none' });
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async ownerOf(channelId: string): Promise<string | undefined> {
    const cached = this.hints.get(channelId);
    if (cached && cached !== this.options.instanceId) return cached;
    const owner = (await this.options.redis.hGet(this.hintsKey, channelId)) ?? undefined;
    if (owner && owner !== this.options.instanceId) this.hints.set(channelId, owner);
    return owner;
  }

  private async forward(owner: string, operation: Operation): Promise<Outcome> {
    const id = ++this.counter;
    const answered = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
    const envelope: Envelope = { t: 'req', id, from: this.options.instanceId, operation };
    const receivers = await this.options.redis.publish(
      this.inboxOf(owner),
      JSON.stringify(envelope),
    );
    if (receivers === 0) {
      this.waiting.delete(id);
      return { retry: 'gone' };
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, this.options.forwardTimeoutMs ?? 3000, undefined);
    });
    const reply = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    this.waiting.delete(id);
    if (!reply) return { retry: 'timeout' };
    if (!reply.ok && reply.notOwner) return { retry: 'not-owner' };
    return { answer: reply };
  }

  private unwrap(reply: Reply): unknown {
    if (reply.ok) return reply.value;
    if (reply.code) throw new FrameRejection(reply.code, reply.message);
    throw new Error(`the channel's owner failed: ${reply.message}`);
  }

  private receive(raw: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'sequencer router: unreadable envelope');
      return;
    }
    if (envelope.t === 'res') {
      this.waiting.get(envelope.id)?.(envelope);
      return;
    }
    const { id, from, operation } = envelope;
    const channelId = operation.op === 'create' ? operation.draft.channelId : operation.channelId;
    // settled on both paths and the answer's publish catches its own failure: nothing to await
    void this.local(operation)
      .then(
        (value): Reply => ({ t: 'res', id, ok: true, value }),
        (error: unknown): Reply =>
          error instanceof NotOwner
            ? { t: 'res', id, ok: false, notOwner: true, message: error.message }
            : error instanceof FrameRejection
              ? { t: 'res', id, ok: false, code: error.code, message: error.message }
              : { t: 'res', id, ok: false, message: String((error as Error)?.message ?? error) },
      )
      .then((reply) =>
        this.options.redis
          .publish(this.inboxOf(from), JSON.stringify(reply))
          .catch((error: unknown) =>
            this.options.logger.warn(
              { err: error, channelId },
              'could not answer a forwarded send',
            ),
          ),
      );
  }
}
