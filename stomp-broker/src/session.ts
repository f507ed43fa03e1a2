import type { WebSocket } from 'ws';
import { serializeFrame, type Wire } from './codec/serializer';
import { FrameParser } from './codec/parser';
import type { Frame, HeaderList, StompVersion } from './frame';

const textFrame = { binary: false };
const binaryFrame = { binary: true };

/** Who a session acts for, as set by the `authenticate` hook. `name` keys user destinations. */
export interface Principal {
  name: string;
  [key: string]: unknown;
}

export const enum SessionState {
  /** WebSocket open, waiting for CONNECT/STOMP. */
  Connecting = 'connecting',
  Connected = 'connected',
  /** ERROR or DISCONNECT sent; no more frames are read. */
  Closing = 'closing',
  Closed = 'closed',
}

export type AckMode = 'auto' | 'client' | 'client-individual';

export interface Subscription {
  readonly id: string;
  /** As the client gave it: `/topic/x`, `/queue/x` or `/user/queue/x`. */
  readonly destination: string;
  readonly ack: AckMode;
  readonly session: Session;
  /** Headers of the SUBSCRIBE frame, for hooks (e.g. a replay position). */
  readonly headers: HeaderList;
}

/** One STOMP connection: its negotiated version, principal, subscriptions and transactions. */
export class Session {
  state = SessionState.Connecting;
  version: StompVersion = '1.0';
  principal: Principal | undefined;
  readonly subscriptions = new Map<string, Subscription>();
  /** Frames held by open transactions (spec 1.2 "BEGIN"). */
  readonly transactions = new Map<string, Frame[]>();
  /** Free for the embedding application (e.g. the access token's expiry). */
  readonly attributes = new Map<string, unknown>();
  readonly parser: FrameParser;
  readonly connectedAt = Date.now();
  /** Negotiated heart-beat periods in ms; 0 = none (spec 1.2 "Heart-beating"). */
  sendEvery = 0;
  expectEvery = 0;
  lastReceived = Date.now();
  lastSent = Date.now();
  /** Frames waiting for the previous one's async hooks: one session's frames run strictly in order. */
  pending: Frame[] = [];
  /** Topic messages dropped in a row because the peer reads too slowly. */
  dropsInARow = 0;
  busy = false;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly remoteAddress: string | undefined,
    parser: FrameParser,
  ) {
    this.parser = parser;
  }

  get open(): boolean {
    return this.state === SessionState.Connecting || this.state === SessionState.Connected;
  }

  /** Escaping applies to every frame but CONNECTED, and not at all in 1.0. */
  get escapeVersion(): StompVersion | undefined {
    return this.version === '1.0' ? undefined : this.version;
  }

  /** Sends one frame; returns its size in octets (`bytes` when the caller knows it already). */
  write(wire: Wire, onSent?: (error?: Error) => void, bytes?: number): number {
    this.lastSent = Date.now();
    this.socket.send(wire, typeof wire === 'string' ? textFrame : binaryFrame, onSent);
    return bytes ?? (typeof wire === 'string' ? Buffer.byteLength(wire) : wire.length);
  }

  frame(command: string, headers: HeaderList, body?: string | Buffer): Wire {
    return serializeFrame(
      command,
      headers,
      body,
      command === 'CONNECTED' ? undefined : this.escapeVersion,
    );
  }
}
