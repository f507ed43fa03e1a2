import type { Session } from './session';

/**
 * One timer for every session's heart-beats (no per-session timers: 10,000 idle sessions cost
 * one interval). Sends an EOL when a session has been quiet for its send period, and reports a
 * session whose peer has been silent past its expected period times `grace`.
 */
export class HeartbeatWheel {
  private timer: NodeJS.Timeout | undefined;
  private readonly sessions = new Set<Session>();

  constructor(
    private readonly tickMs: number,
    private readonly grace: number,
    private readonly onSilent: (session: Session) => void,
  ) {}

  add(session: Session): void {
    if (!session.sendEvery && !session.expectEvery) return;
    this.sessions.add(session);
    this.timer ??= setInterval(() => this.tick(), this.tickMs).unref();
  }

  delete(session: Session): void {
    this.sessions.delete(session);
    if (!this.sessions.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const session of this.sessions) {
      if (session.expectEvery && now - session.lastReceived > session.expectEvery * this.grace) {
        this.onSilent(session);
        continue;
      }
      // Sending anything counts as a heart-beat; only a quiet session needs an EOL.
      if (session.sendEvery && now - session.lastSent >= session.sendEvery - this.tickMs / 2) {
        session.write('\n');
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sessions.clear();
  }
}
