import type { Notice } from '@echopulse/chat-contracts';
import type { Principal } from '@echopulse/service-kit';
import type { Broker } from '@echopulse/stomp-broker';
import { PRINCIPAL } from './authenticate';

const WARNED = 'expiry.warned';

/**
 * A session does not outlive its token: `warningMs` before expiry it gets a `token-expiring`
 * notice on /user/queue/notices (once per token); at expiry it ends with ERROR `token_expired`.
 * One sweep a second over the sessions instead of a timer each.
 */
export class SessionExpiry {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly warningMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A fresh token's principal replaces the old one; a new warning will come before it expires. */
  renewed(principal: Principal, sessionAttributes: Map<string, unknown>): void {
    sessionAttributes.set(PRINCIPAL, principal);
    sessionAttributes.delete(WARNED);
  }

  sweep(): void {
    const now = this.now();
    for (const session of this.broker.sessions()) {
      const principal = session.attributes.get(PRINCIPAL) as Principal | undefined;
      if (!principal) continue;
      const expiresAt = principal.expiresAt.getTime();
      if (now >= expiresAt) {
        this.broker.closeSession(
          session.id,
          'The access token expired; connect again with a fresh one.',
          'token_expired',
        );
      } else if (now >= expiresAt - this.warningMs && !session.attributes.get(WARNED)) {
        session.attributes.set(WARNED, true);
        this.broker.sendToSession(
          session,
          '/queue/notices',
          JSON.stringify({
            type: 'token-expiring',
            expiresAt: principal.expiresAt.toISOString(),
          } satisfies Notice),
          [['content-type', 'application/json']],
        );
      }
    }
  }
}
