import type { Frame } from './frame';

/**
 * Stable codes of the errors the broker itself raises. An ERROR frame's body starts with the
 * code, so clients and tests can tell reasons apart without parsing English.
 */
export const ErrorCode = {
  // codec
  FrameTooLarge: 'frame_too_large',
  TooManyHeaders: 'too_many_headers',
  HeaderTooLong: 'header_too_long',
  MalformedFrame: 'malformed_frame',
  MalformedHeader: 'malformed_header',
  InvalidEscape: 'invalid_escape',
  // protocol
  UnknownCommand: 'unknown_command',
  NotConnected: 'not_connected',
  AlreadyConnected: 'already_connected',
  UnsupportedVersion: 'unsupported_version',
  MissingHeader: 'missing_header',
  InvalidHeader: 'invalid_header',
  UnknownDestination: 'unknown_destination',
  DuplicateSubscription: 'duplicate_subscription',
  DuplicateTransaction: 'duplicate_transaction',
  UnknownTransaction: 'unknown_transaction',
  Unauthenticated: 'unauthenticated',
  // limits
  TooManySubscriptions: 'too_many_subscriptions',
  TooManySessions: 'too_many_sessions',
  TooManyTransactions: 'too_many_transactions',
  TransactionTooLarge: 'transaction_too_large',
  InboundOverflow: 'inbound_overflow',
  TooManyPending: 'too_many_pending',
  SlowConsumer: 'slow_consumer',
  // lifecycle
  HeartbeatTimeout: 'heartbeat_timeout',
  SessionClosed: 'session_closed',
  ShuttingDown: 'shutting_down',
  Internal: 'internal_error',
} as const;

/**
 * Base of the errors whose message may reach the client. Anything else thrown inside the broker
 * or a hook reaches the client as a generic "Internal server error." and goes to `onError`.
 */
export abstract class BrokerError extends Error {
  /** Whether the session ends (ERROR, then close) or only the frame is refused. */
  abstract readonly fatal: boolean;

  constructor(
    /** Stable, machine-readable reason, e.g. `frame_too_large`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A fatal refusal: the broker sends an ERROR frame with `message` set to this error's message
 * (and `receipt-id` when the offending frame asked for a receipt), then closes the connection,
 * as STOMP requires after an ERROR (spec 1.2 "ERROR").
 */
export class StompError extends BrokerError {
  readonly fatal = true;

  constructor(
    code: string,
    message: string,
    /** Extra text for the ERROR frame's body, after the code. */
    readonly details?: string,
  ) {
    super(code, message);
    this.name = 'StompError';
  }
}

/**
 * A refusal that keeps the session: the frame is not processed and gets no RECEIPT; the session
 * is told with a MESSAGE on its `/user` + `rejectionDestination` subscriptions (default
 * `/user/queue/errors`, headers `code`, `message` and `receipt-id`), and the broker emits
 * `rejected`. Throw it from an inbound interceptor or an application handler.
 */
export class FrameRejection extends BrokerError {
  readonly fatal = false;

  /** `extraHeaders` go on the rejection MESSAGE too, e.g. `retry-after`. */
  constructor(
    code: string,
    message: string,
    readonly extraHeaders: readonly [string, string][] = [],
  ) {
    super(code, message);
    this.name = 'FrameRejection';
  }
}

/** What the `rejected` event carries. */
export interface Rejection {
  frame: Frame;
  error: FrameRejection;
}
