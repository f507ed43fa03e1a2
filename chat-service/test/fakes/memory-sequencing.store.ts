import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../../src/messages/chat-message';
import type {
  Assigned,
  SequencingSession,
  SequencingStore,
  StillPending,
  Unnumbered,
} from '../../src/sequencing/sequencing.repository';

/**
 * SequencingStore in memory, for unit tests of the sequencer: the same answers as
 * SequencingRepository (a nonce numbered once, per-channel counters, `pending` set to what is
 * kept plus the new records, locks one session at a time), and a record of every call.
 */
export class MemorySequencingStore implements SequencingStore {
  readonly nonces = new Map<string, ChatMessage>();
  readonly counters = new Map<string, number>();
  readonly pending = new Map<string, ChatRecord[]>();
  /** Channel → the session holding its lock. */
  readonly locks = new Map<string, object>();
  /** The rows of every sequence() call, in order. */
  readonly statements: Unnumbered[][] = [];
  readonly unlocks: { channelId: string; clearPending: boolean }[] = [];
  /** The next sequence() calls fail with these errors, one each. */
  readonly failures: Error[] = [];
  private readonly sessions = new Map<object, (error: unknown) => void>();

  /** A lock held by "another instance". */
  lockElsewhere(channelId: string): void {
    this.locks.set(channelId, {});
  }

  /** Every open session's connection dies: its locks go, and it hears of it. */
  loseSessions(error: Error): void {
    for (const [session, onLost] of this.sessions) {
      for (const [channelId, holder] of this.locks)
        if (holder === session) this.locks.delete(channelId);
      this.sessions.delete(session);
      onLost(error);
    }
  }

  openSession(onLost: (error: unknown) => void): Promise<SequencingSession> {
    const token = {};
    this.sessions.set(token, onLost);
    const { locks, pending, unlocks, sessions } = this;
    const sequence = (rows: Unnumbered[], keep: StillPending[]) => this.sequence(rows, keep);
    return Promise.resolve({
      async lock(channelId) {
        const holder = locks.get(channelId);
        if (holder && holder !== token) return undefined;
        locks.set(channelId, token);
        return [...(pending.get(channelId) ?? [])];
      },
      async sequence(rows, keep) {
        return sequence(rows, keep);
      },
      async unlock(channelId, clearPending) {
        unlocks.push({ channelId, clearPending });
        if (clearPending) pending.delete(channelId);
        if (locks.get(channelId) === token) locks.delete(channelId);
      },
      async close() {
        sessions.delete(token);
        for (const [channelId, holder] of locks) if (holder === token) locks.delete(channelId);
      },
    });
  }

  private sequence(rows: Unnumbered[], keep: StillPending[]): Assigned[] {
    this.statements.push(rows);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const assigned: Assigned[] = [];
    const fresh = new Map<string, ChatRecord[]>();
    for (const row of [...rows].sort((a, b) => a.ord - b.ord)) {
      const key = `${row.author_id}\u0000${row.nonce}`;
      if (this.nonces.has(key)) continue;
      const seq = (this.counters.get(row.channel_id) ?? 0) + 1;
      this.counters.set(row.channel_id, seq);
      const message = { ...row.message, seq };
      this.nonces.set(key, message);
      assigned.push([row.author_id, row.nonce, seq]);
      const list = fresh.get(row.channel_id) ?? [];
      list.push({ type: 'message.created', message, nonce: row.nonce });
      fresh.set(row.channel_id, list);
    }
    for (const [channelId, records] of fresh) {
      const kept = keep.find((k) => k.channel_id === channelId)?.pending ?? [];
      this.pending.set(channelId, [...kept, ...records]);
    }
    return assigned;
  }

  async byNonce(authorId: string, nonce: string): Promise<ChatMessage | undefined> {
    return this.nonces.get(`${authorId}\u0000${nonce}`);
  }

  async byId(messageId: string): Promise<ChatMessage | undefined> {
    return [...this.nonces.values()].find((m) => m.id === messageId);
  }

  async expireNonces(): Promise<number> {
    const n = this.nonces.size;
    this.nonces.clear();
    return n;
  }
}
