import type { OutboxRelay } from '../outbox';
import type { HealthCheck } from '@echopulse/service-kit/http';

/**
 * Kafka as the outbox relay sees it: ready when this instance leads and its last publish (or
 * connect) succeeded, or when it stands by for another instance that leads.
 */
export function relayHealthCheck(relay: Pick<OutboxRelay, 'health'>): HealthCheck {
  return async () => {
    const h = await relay.health();
    const ok =
      h.status === 'standby' || (h.status === 'leader' && h.kafka.consecutiveFailures === 0);
    return {
      ok,
      detail: `relay ${h.status}; kafka ${h.kafka.connected ? 'connected' : 'not connected'}; ${
        h.lag ? `${h.lag.unpublished} unpublished` : 'lag unknown'
      }${h.kafka.lastError ? `; last error: ${h.kafka.lastError}` : ''}`,
    };
  };
}
