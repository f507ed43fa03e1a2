import type { AppRouter } from '../app-router';
import type { MessageRouter } from '../destinations/message-router';
import type { Frame, HeaderList } from '../frame';
import type { Authenticate, BrokerEvents } from '../hooks';
import type { BrokerLimits } from '../limits';
import type { Principal, Session, Subscription } from '../session';

/** Emits one of the broker's events (see {@link BrokerEvents}). */
export type EmitEvent = <K extends keyof BrokerEvents>(
  event: K,
  ...args: BrokerEvents[K]
) => unknown;

/**
 * What the frame handlers need from the broker around them, and nothing more; the broker's core
 * implements it (as it implements the message router's `RouterContext`). Handlers import this
 * interface, never the core, so the core can import the handlers without a cycle.
 */
export interface HandlerContext {
  readonly limits: BrokerLimits;
  /** [sx, sy] offered in CONNECTED (spec 1.2 "Heart-beating"). */
  readonly heartbeat: readonly [number, number];
  /** CONNECTED's `server` header. */
  readonly serverName: string;
  /** Checks CONNECT; undefined lets everyone in. */
  readonly authenticate: Authenticate | undefined;
  /** Prefix of the application destinations, e.g. `/app`. */
  readonly appPrefix: string;
  /** The application handlers, by destination below {@link appPrefix}. */
  readonly apps: Pick<AppRouter, 'match'>;
  /** Subscriptions and deliveries. */
  readonly router: Pick<MessageRouter, 'subscribe' | 'dispatch' | 'settle'>;
  readonly emit: EmitEvent;
  /** Sends a broker frame (CONNECTED, RECEIPT, ERROR), escaped for the session's version. */
  sendFrame(
    session: Session,
    command: string,
    headers: HeaderList,
    body?: string,
    onSent?: (error?: Error) => void,
  ): void;
  /** A RECEIPT for a client frame that asked for one (spec 1.2 "Header receipt"). */
  receipt(session: Session, frame: Frame, extra?: HeaderList): void;
  /** Registers the principal of a connecting session, within the per-principal limit. */
  registerPrincipal(session: Session, principal: Principal): void;
  /** CONNECTED has been sent. */
  connected(session: Session): void;
  removeSubscription(subscription: Subscription, reason: string): void;
  /** Routes a message to `/topic/…`, `/queue/…` or `/user/{name}/…`. */
  route(destination: string, headers: HeaderList, body: string | Buffer): void;
  /** To one session's subscriptions of `fullDestination` (e.g. `/user/queue/acks`). */
  deliverToSession(
    session: Session,
    fullDestination: string,
    headers: HeaderList,
    body: string | Buffer,
  ): number;
}
