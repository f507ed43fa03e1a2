import type { IncomingMessage } from 'node:http';
import type { MessageTemplate } from './codec/serializer';
import type { FrameParser } from './codec/parser';
import type { Frame, HeaderList, StompVersion } from './frame';
import type { Transport } from './transport/transport';

/** Who a session acts for, as set on CONNECT. `name` keys user destinations and session limits. */
export interface Principal {
  name: string;
  [key: string]: unknown;
}

/** Where a session is in its life. */
export enum SessionState {
  /** Transport open, waiting for CONNECT/STOMP. */
  Connecting = 'connecting',
  /** CONNECTED sent; frames are handled. */
  Connected = 'connected',
  /** ERROR or DISCONNECT under way: no more frames are read, the transport is closing. */
  Closing = 'closing',
  /** The transport is gone and the session cleaned up. */
  Closed = 'closed',
}

/** Spec 1.2 "SUBSCRIBE ack Header". */
export type AckMode = 'auto' | 'client' | 'client-individual';

/** One SUBSCRIBE of one session. */
export class Subscription {
  /** @internal Unacknowledged queue messages of this subscription. */
  unacked = 0;

  constructor(
    readonly id: string,
    /** As the client gave it: `/topic/x`, `/queue/x` or `/user/queue/x`. */
    readonly destination: string,
    readonly ack: AckMode,
    readonly session: Session,
    /** Headers of the SUBSCRIBE frame, for hooks (e.g. a replay position). */
    readonly headers: HeaderList,
    /** @internal `MESSAGE\nsubscription:<id>\n`, escaped for the session's version. */
    readonly prefix: Buffer,
  ) {}
}

/** @internal A queue message waiting for ACK/NACK. */
export interface Unacked {
  template: MessageTemplate;
  subscription: Subscription;
  queue: string;
}

const noSubscriptions: ReadonlyMap<string, Subscription> = new Map();

/**
 * One STOMP connection: negotiated version, principal, subscriptions and transactions. Kept small
 * for 10,000s of idle sessions: maps are created on first use and there is no per-session timer.
 */
export class Session {
  state = SessionState.Connecting;
  version: StompVersion = '1.0';
  /** Set on CONNECT by `authenticate` or an inbound interceptor. */
  principal: Principal | undefined;
  readonly connectedAt = Date.now();
  /** The HTTP upgrade request; released once CONNECT is handled, to keep idle sessions small. */
  request: IncomingMessage | undefined;
  /** @internal Negotiated heart-beat periods in ms, 0 = none (spec 1.2 "Heart-beating"). */
  sendEvery = 0;
  /** @internal */
  expectEvery = 0;
  /** @internal */
  lastReceived = Date.now();
  /** @internal */
  lastSent = 0;
  /** @internal A frame's async hooks are running; the frames behind it wait in the parser. */
  busy = false;
  /** @internal Reading paused for inbound backpressure. */
  paused = false;
  /** @internal Topic messages dropped in a row because the peer reads too slowly. */
  dropsInARow = 0;
  /** @internal CONNECTED was sent, so `disconnected` will be emitted. */
  everConnected = false;
  /** @internal Why the session is ending, for the `disconnected` event. */
  closeReason: string | undefined;
  /** @internal Sequence of `ack` ids (1.2). */
  ackSeq = 0;
  /** @internal By ack id (1.2) or message-id (1.0/1.1), in delivery order. */
  unacked: Map<string, Unacked> | undefined;
  private subs: Map<string, Subscription> | undefined;
  private txs: Map<string, Frame[]> | undefined;
  private attrs: Map<string, unknown> | undefined;

  constructor(
    readonly id: string,
    readonly transport: Transport,
    /** @internal */
    readonly parser: FrameParser,
    readonly remoteAddress: string | undefined,
    /** The WebSocket subprotocol, e.g. `v12.stomp`, or '' for none. */
    readonly protocol: string,
  ) {}

  /** Open for frames: connecting or connected. */
  get open(): boolean {
    return this.state === SessionState.Connecting || this.state === SessionState.Connected;
  }

  get subscriptions(): ReadonlyMap<string, Subscription> {
    return this.subs ?? noSubscriptions;
  }

  /** Free for the embedding application (e.g. the access token's expiry). */
  get attributes(): Map<string, unknown> {
    return (this.attrs ??= new Map());
  }

  /** @internal */
  addSubscription(subscription: Subscription): void {
    (this.subs ??= new Map()).set(subscription.id, subscription);
  }

  /** @internal */
  deleteSubscription(id: string): boolean {
    return this.subs?.delete(id) ?? false;
  }

  /** @internal Frames held by open transactions (spec 1.2 "BEGIN"). */
  get transactions(): Map<string, Frame[]> {
    return (this.txs ??= new Map());
  }

  /** @internal Open transactions are aborted: their frames are forgotten (spec 1.2 "BEGIN"). */
  abortTransactions(): void {
    this.txs = undefined;
  }
}
