import type { Session } from './session';

/** What {@link PendingConnections.admit} decided. */
export type PendingVerdict = 'admitted' | 'refused' | 'first-refusal';

/**
 * Connections that have not CONNECTed yet, per remote address, held to `maxPendingPerAddress`
 * (connections without an address are not counted). A session counts from its admission until it
 * CONNECTs or ends. Past the limit a new one is refused; the first refusal of a burst is told
 * apart, so the broker reports a flood once: a burst ends when none of the address's connections
 * is left waiting.
 */
export class PendingConnections {
  /** Per address: its sessions that have not CONNECTed, and whether it is refusing. */
  private readonly byAddress = new Map<string, { sessions: Set<Session>; refusing: boolean }>();

  constructor(private readonly limit: number) {}

  /** Counts `session` against its address; a refused one is not counted. */
  admit(session: Session): PendingVerdict {
    const address = session.remoteAddress;
    if (address === undefined) return 'admitted';
    const pending = this.byAddress.get(address);
    if (!pending) {
      this.byAddress.set(address, { sessions: new Set([session]), refusing: false });
      return 'admitted';
    }
    if (pending.sessions.size < this.limit) {
      pending.sessions.add(session);
      return 'admitted';
    }
    if (pending.refusing) return 'refused';
    pending.refusing = true;
    return 'first-refusal';
  }

  /** The session no longer waits for CONNECT (it connected or ended). */
  settle(session: Session): void {
    const address = session.remoteAddress;
    const pending = address === undefined ? undefined : this.byAddress.get(address);
    if (pending?.sessions.delete(session) && !pending.sessions.size) {
      this.byAddress.delete(address!); // the burst, if any, is over
    }
  }
}
