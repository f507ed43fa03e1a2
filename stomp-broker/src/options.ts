import type { IncomingMessage } from 'node:http';
import type { Authenticate, InboundInterceptor, OutboundInterceptor } from './hooks';
import type { BrokerLimits } from './limits';
import type { Relay } from './relay';
import type { Session } from './session';

/** Options of a Broker. Every one has a default. */
export interface BrokerOptions {
  /** WebSocket path for `attach`/`listen`; default `/ws`. */
  path?: string;
  limits?: Partial<BrokerLimits>;
  /**
   * [sx, sy] this broker offers (spec 1.2 "Heart-beating"): it can send every sx ms and wants
   * to receive every sy ms; 0 = never. Default [10000, 10000].
   */
  heartbeat?: [number, number];
  /** A peer silent for its negotiated period times this is disconnected; default 2. */
  heartbeatGrace?: number;
  /** Prefix of application destinations routed to `handle()` handlers; default `/app`. */
  appPrefix?: string;
  /** Where FrameRejections are reported, below `/user`; default `/queue/errors`. */
  rejectionDestination?: string;
  authenticate?: Authenticate;
  inbound?: InboundInterceptor[];
  outbound?: OutboundInterceptor[];
  /** Carries topic and user messages between broker processes; default: none (one process). */
  relay?: Relay;
  /** Where unexpected errors (not BrokerErrors) are reported; clients get a generic ERROR. */
  onError?: (error: unknown, session: Session | undefined) => void;
  /** CONNECTED's `server` header; default `echopulse-stomp/0.1`. */
  serverName?: string;
  /** Emit a `metrics` event this often (ms); default never. */
  metricsIntervalMs?: number;
  /** ws permessage-deflate; default off (CPU per message and memory per session). */
  perMessageDeflate?: boolean;
  /**
   * The client's address, from its upgrade request: what `maxPendingPerAddress` counts and
   * `session.remoteAddress` shows. Default: the socket's peer address. Behind a reverse proxy
   * every socket has the proxy's address, so an application that trusts its proxy derives the
   * client's from `X-Forwarded-For` here (e.g. with `proxy-addr`).
   */
  clientAddress?: (request: IncomingMessage) => string | undefined;
}
