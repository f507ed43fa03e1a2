import { SessionState, type Session } from './session';

/** What the wheel asks of the broker. */
export interface WheelEvents {
  /** Send an EOL heart-beat. */
  beat(session: Session): void;
  /** The peer has been silent past its heart-beat period times the grace factor. */
  silent(session: Session): void;
  /** The connection never sent CONNECT in time. */
  connectTimeout(session: Session): void;
}

/**
 * One timer for every session's heart-beats and CONNECT deadline: no per-session timers, so
 * 10,000 idle sessions cost one interval, and none at all when none negotiated heart-beats and
 * all have connected. The timer runs only while some session needs it.
 */
export class HeartbeatWheel {
  private timer: NodeJS.Timeout | undefined;
  private readonly beating = new Set<Session>();
  private readonly connecting = new Set<Session>();

  constructor(
    private readonly tickMs: number,
    /** A peer is silent once quiet for its period times this (spec 1.2 allows for timing error). */
    private readonly grace: number,
    private readonly connectTimeoutMs: number,
    private readonly events: WheelEvents,
  ) {}

  /** Watches a new connection until it sends CONNECT. */
  watchConnect(session: Session): void {
    this.connecting.add(session);
    this.start();
  }

  /** A session is connected: watch its heart-beats, if it negotiated any. */
  connected(session: Session): void {
    this.connecting.delete(session);
    if (session.sendEvery || session.expectEvery) this.beating.add(session);
    this.stopIfIdle();
  }

  delete(session: Session): void {
    this.connecting.delete(session);
    this.beating.delete(session);
    this.stopIfIdle();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.beating.clear();
    this.connecting.clear();
  }

  private start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs).unref();
  }

  private stopIfIdle(): void {
    if (!this.beating.size && !this.connecting.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    } else if (this.beating.size) this.start();
  }

  private tick(): void {
    const now = Date.now();
    for (const session of this.connecting) {
      if (session.state !== SessionState.Connecting) this.connecting.delete(session);
      else if (now - session.connectedAt > this.connectTimeoutMs) {
        this.connecting.delete(session);
        this.events.connectTimeout(session);
      }
    }
    for (const session of this.beating) {
      if (session.state !== SessionState.Connected) continue;
      // Spec 1.2 "Heart-beating": any data counts; silence past the period (with slack) is death.
      if (session.expectEvery && now - session.lastReceived > session.expectEvery * this.grace) {
        this.beating.delete(session);
        this.events.silent(session);
        continue;
      }
      // Sending anything counts as a heart-beat; only a quiet session needs an EOL.
      if (session.sendEvery && now - session.lastSent >= session.sendEvery - this.tickMs) {
        this.events.beat(session);
      }
    }
    this.stopIfIdle();
  }
}
