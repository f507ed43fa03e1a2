import type { ChatRecord } from '../messages/chat-message';
import type { SequencingSession, SequencingStore } from './sequencing.repository';

/** A channel this instance sequences: it holds the channel's lock on its session. */
export interface Lease {
  /** Claimed in the database, not (known to be) on Kafka: a predecessor's, or ours after a failure. */
  unproduced: ChatRecord[];
  /** `pending` is set in the database for records already produced: clear it on release. */
  dirty: boolean;
  lastUsed: number;
}

export interface LeasesOptions {
  /** A lease with no work for this long is let go. */
  idleMs: number;
  /** Told when this instance starts and stops owning a channel (the router's hints). */
  onOwned?: (channelId: string) => void;
  onReleased?: (channelId: string) => void;
  /** The session died, and every lease with it (each already reported to onReleased). */
  onLost: (error: unknown) => void;
}

/**
 * The channels this instance owns: one session-level lock per channel on one connection, taken
 * on the first send the instance sees for the channel and let go once it has been idle (or at
 * once by letGo). A channel is claimed at most once at a time, and never while its release is
 * under way (locks nest within a session: taken twice, released once, it would stay held).
 */
export class Leases {
  private session: SequencingSession | undefined;
  private opening: Promise<SequencingSession> | undefined;
  private readonly owned = new Map<string, Lease>();
  private readonly claiming = new Map<string, Promise<boolean>>();
  private readonly releasing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: SequencingStore,
    private readonly options: LeasesOptions,
  ) {}

  get(channelId: string): Lease | undefined {
    return this.owned.get(channelId);
  }

  owns(channelId: string): boolean {
    return this.owned.has(channelId);
  }

  get channels(): string[] {
    return [...this.owned.keys()];
  }

  /** A claim of the channel is under way. */
  claimPending(channelId: string): boolean {
    return this.claiming.has(channelId);
  }

  /** Marks the channel idle, so the next releaseIdle lets it go; false when it is not owned. */
  expire(channelId: string): boolean {
    const lease = this.owned.get(channelId);
    if (!lease) return false;
    lease.lastUsed = 0;
    return true;
  }

  /** Takes the channel unless another instance holds it: true when this instance owns it now. */
  claim(channelId: string): Promise<boolean> {
    if (this.owned.has(channelId)) return Promise.resolve(true);
    let claim = this.claiming.get(channelId);
    if (!claim) {
      claim = this.tryClaim(channelId).finally(() => this.claiming.delete(channelId));
      this.claiming.set(channelId, claim);
    }
    return claim;
  }

  private async tryClaim(channelId: string): Promise<boolean> {
    await this.releasing.get(channelId);
    if (this.owned.has(channelId)) return true;
    const pending = await (await this.connection()).lock(channelId);
    if (!pending) return false;
    this.owned.set(channelId, { unproduced: pending, dirty: false, lastUsed: Date.now() });
    this.options.onOwned?.(channelId);
    return true;
  }

  /** The session: every lock of this instance lives on it. */
  connection(): Promise<SequencingSession> {
    if (this.session) return Promise.resolve(this.session);
    this.opening ??= (async () => {
      const session: SequencingSession = await this.store.openSession((error) =>
        this.lost(session, error),
      );
      this.session = session;
      return session;
    })().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private lost(session: SequencingSession, error: unknown): void {
    if (this.session !== session) return;
    this.session = undefined;
    for (const channelId of this.owned.keys()) this.options.onReleased?.(channelId);
    this.owned.clear();
    this.options.onLost(error);
  }

  /**
   * Lets go of the channels idle for idleMs (every one when `all`), except those with work
   * (`busy`) or a claim under way. `flush` first produces what a lease still holds unproduced.
   */
  async releaseIdle(
    all: boolean,
    busy: (channelId: string) => boolean,
    flush: (channelId: string, lease: Lease) => Promise<void>,
  ): Promise<void> {
    const before = Date.now() - this.options.idleMs;
    for (const [channelId, lease] of this.owned) {
      if (!all && lease.lastUsed > before) continue;
      if (busy(channelId) || this.claiming.has(channelId)) continue;
      const release = this.release(channelId, lease, flush).finally(() =>
        this.releasing.delete(channelId),
      );
      this.releasing.set(channelId, release);
      await release;
    }
  }

  private async release(
    channelId: string,
    lease: Lease,
    flush: (channelId: string, lease: Lease) => Promise<void>,
  ): Promise<void> {
    // Not owned from this moment on: a send arriving now claims again, after this release.
    this.owned.delete(channelId);
    const session = this.session;
    if (!session) return;
    if (lease.unproduced.length) await flush(channelId, lease);
    this.options.onReleased?.(channelId);
    // Everything produced: the database's `pending` may go with the lock.
    await session.unlock(channelId, lease.dirty && !lease.unproduced.length);
  }

  /** Returns the session (call after releaseIdle(true, …)). */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.close();
  }
}
