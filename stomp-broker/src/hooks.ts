import type { IncomingMessage } from 'node:http';
import type { Rejection } from './errors';
import type { Frame, HeaderList } from './frame';
import type { BrokerMetrics } from './metrics';
import type { Principal, Session, Subscription } from './session';

/** What `authenticate` sees of a CONNECT. */
export interface ConnectRequest {
  session: Session;
  frame: Frame;
  /** The HTTP upgrade request (cookies, origin, address), when the transport has one. */
  request: IncomingMessage | undefined;
}

/**
 * Runs on CONNECT after version negotiation: returns the session's principal (or undefined for
 * an anonymous session), or throws a StompError to refuse the connection with ERROR.
 */
export type Authenticate = (
  request: ConnectRequest,
) => Principal | undefined | Promise<Principal | undefined>;

/**
 * Sees every frame of a session, CONNECT included, in order, before the broker acts on it; the
 * next frame waits until its promise settles. Throw a StompError to end the session with ERROR;
 * throw a FrameRejection to refuse the frame and keep the session; return false to skip the frame
 * silently (no RECEIPT). An interceptor may set `session.principal` on CONNECT.
 */
export type InboundInterceptor = (
  frame: Frame,
  session: Session,
) => void | boolean | Promise<void | boolean>;

/** A MESSAGE about to be delivered, as outbound interceptors see it (read-only). */
export interface OutboundMessage {
  readonly destination: string;
  readonly messageId: string;
  /** User headers and content-type. */
  readonly headers: HeaderList;
  readonly body: Buffer;
  /** Whether the body is UTF-8 text. */
  readonly text: boolean;
}

/** A per-session change an outbound interceptor may return: replaces headers and/or body. */
export interface OutboundChange {
  headers?: HeaderList;
  body?: string | Buffer;
}

/**
 * Sees each MESSAGE before it goes to one subscription. Return false to drop it for that
 * session, an {@link OutboundChange} to alter it for that session only (it is then serialised
 * again, off the fast path), or nothing to pass it on. Synchronous: it runs once per delivery.
 */
export type OutboundInterceptor = (
  message: OutboundMessage,
  session: Session,
  subscription: Subscription,
) => boolean | void | OutboundChange;

/** Events of a Broker, with their arguments. */
export interface BrokerEvents {
  /** CONNECTED was sent. */
  connected: [session: Session];
  /** A connected session ended; `reason` is a stable code (`client_disconnect`, `connection_lost`, `heartbeat_timeout`, `slow_consumer`, or an ERROR's code). */
  disconnected: [session: Session, reason: string];
  subscribed: [subscription: Subscription];
  /** `reason`: `client_unsubscribe`, `disconnected`, or what `broker.unsubscribe` was given. */
  unsubscribed: [subscription: Subscription, reason: string];
  /** A frame was refused with a FrameRejection; the session goes on. */
  rejected: [session: Session, rejection: Rejection];
  /** Every `metricsIntervalMs`, a snapshot of the counters. */
  metrics: [metrics: BrokerMetrics];
  /**
   * An address reached `maxPendingPerAddress` and a connection from it was refused. Once per
   * burst: not again until none of the address's connections is waiting for CONNECT.
   */
  pendingLimit: [remoteAddress: string, limit: number];
}
