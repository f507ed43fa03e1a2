export { OutboxWriter } from './outbox.writer';
export {
  OutboxRelay,
  DEFAULT_RELAY_LOCK_KEY,
  type OutboxRelayOptions,
  type OutboxRelayHealth,
  type OutboxRelayHooks,
  type RelayStatus,
} from './outbox.relay';
export type { OutboxRow, OutboxLag } from './outbox.repository';
export {
  outboxConfigShape,
  outboxDevDefaults,
  createOutboxRelay,
  type OutboxRelayConfig,
} from './outbox.config';
