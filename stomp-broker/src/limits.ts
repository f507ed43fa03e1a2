import { defaultParserLimits, type ParserLimits } from './codec/parser';

/** Every limit the broker enforces. Each violation fails with a stable error code. */
export interface BrokerLimits extends ParserLimits {
  /** Subscriptions one session may hold (`too_many_subscriptions`). */
  maxSubscriptionsPerSession: number;
  /** Sessions one principal may hold at once (`too_many_sessions`). */
  maxSessionsPerPrincipal: number;
  /** Transactions one session may have open (`too_many_transactions`). */
  maxTransactionsPerSession: number;
  /** Frames one transaction may hold until COMMIT (`transaction_too_large`). */
  maxFramesPerTransaction: number;
  /** Messages a queue holds while no consumer can take them; past it the oldest are dropped. */
  maxQueuedMessages: number;
  /** Unacknowledged queue messages per `client`/`client-individual` subscription (a prefetch window). */
  maxUnackedPerSubscription: number;
  /**
   * Inbound octets held while a session's previous frame is still being handled (async hooks).
   * Past it the socket is paused; past twice it the session ends (`inbound_overflow`).
   */
  maxInboundBuffer: number;
  /** A connection that has not sent CONNECT within this many ms is closed. */
  connectTimeoutMs: number;
  /**
   * Connections from one remote address that may be open without having CONNECTed yet; past
   * it a new one gets ERROR `too_many_pending` and WebSocket close 1013 (try again later).
   * Connected sessions do not count (`maxSessionsPerPrincipal` bounds those).
   */
  maxPendingPerAddress: number;
  /** Outgoing octets buffered for a session past which topic messages to it are dropped. */
  slowConsumerDropBytes: number;
  /** Past this the session is disconnected, whatever the message kind. */
  slowConsumerCloseBytes: number;
  /** A session that had this many topic messages dropped in a row is disconnected too. */
  slowConsumerMaxDrops: number;
}

/** Safe defaults for a chat-sized deployment. */
export const defaultLimits: Readonly<BrokerLimits> = Object.freeze({
  ...defaultParserLimits,
  maxSubscriptionsPerSession: 256,
  maxSessionsPerPrincipal: 32,
  maxTransactionsPerSession: 16,
  maxFramesPerTransaction: 1000,
  maxQueuedMessages: 10_000,
  maxUnackedPerSubscription: 1000,
  maxInboundBuffer: 1024 * 1024,
  connectTimeoutMs: 10_000,
  maxPendingPerAddress: 64,
  slowConsumerDropBytes: 1024 * 1024,
  slowConsumerCloseBytes: 8 * 1024 * 1024,
  slowConsumerMaxDrops: 1000,
});

/**
 * The largest WebSocket message the broker reads (ws closes a larger one with 1009): room for
 * any one frame the limits allow, as stompjs and browsers send each frame as one message (its
 * command, header and blank lines, each at most `maxHeaderLength` octets and an EOL, its body
 * and NUL), or for two bodies' worth of frames, whichever is larger.
 */
export function maxMessageSize(limits: Readonly<ParserLimits>): number {
  const lines = (limits.maxHeaders + 2) * (limits.maxHeaderLength + 1);
  return Math.max(lines + limits.maxBodySize + 1, 2 * limits.maxBodySize + 1024);
}
