import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppRequest } from './app-router';
import { MessageTemplate } from './codec/serializer';
import { BrokerCore } from './core';
import { ErrorCode, StompError } from './errors';
import type { HeaderList } from './frame';
import type { BrokerEvents, InboundInterceptor, OutboundInterceptor } from './hooks';
import { maxMessageSize, type BrokerLimits } from './limits';
import type { BrokerMetrics } from './metrics';
import type { BrokerOptions } from './options';
import { SessionState, type Session, type Subscription } from './session';
import type { ConnectionInfo, Transport } from './transport/transport';
import { WsEndpoint } from './transport/ws-endpoint';

/** Where {@link Broker.listen} serves. */
export interface Listening {
  /** e.g. `ws://127.0.0.1:61614/ws` */
  url: string;
  port: number;
  server: Server;
}

/** What an application handler gets for one SEND to an application destination. */
export interface AppMessage extends AppRequest {
  /** This broker, e.g. to publish what the handler stored. */
  broker: Broker;
}

/**
 * Handles a SEND to an application destination (`/app/…`). The RECEIPT for that SEND goes out
 * only once the returned promise resolves, so an application can make RECEIPT mean "durably
 * stored". Throw a StompError to end the session with that ERROR, or a FrameRejection to refuse
 * the frame and keep the session.
 */
export type AppHandler = (message: AppMessage) => void | Promise<void>;

/**
 * A STOMP 1.0/1.1/1.2 broker over WebSocket: `/topic/…` publish/subscribe, `/queue/…` competing
 * consumers with acknowledgements, `/user/…` destinations per principal, and application
 * destinations (`/app/…`) routed to handlers. Knows nothing of what the messages mean.
 *
 * Events: see {@link BrokerEvents}.
 */
export class Broker extends EventEmitter<BrokerEvents> {
  private readonly core: BrokerCore;
  private endpoint: WsEndpoint | undefined;
  private ownServer: Server | undefined;
  private relayStarted: Promise<void> | undefined;
  private metricsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BrokerOptions = {}) {
    super();
    this.core = new BrokerCore(options, (event, ...args) =>
      (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args),
    );
    if (options.metricsIntervalMs) {
      this.metricsTimer = setInterval(
        () => this.emit('metrics', { ...this.core.metrics }),
        options.metricsIntervalMs,
      ).unref();
    }
  }

  /** This process's id among brokers sharing a relay. */
  get nodeId(): string {
    return this.core.nodeId;
  }

  /** The limits in force (defaults merged with `options.limits`). */
  get limits(): Readonly<BrokerLimits> {
    return this.core.limits;
  }

  /** Live counters: sessions, frames and bytes in/out, drops… */
  get metrics(): Readonly<BrokerMetrics> {
    return this.core.metrics;
  }

  /**
   * Registers an application handler for `appPrefix + template`, e.g.
   * `handle('/channels/{channelId}/messages', …)` serves SEND `/app/channels/42/messages`.
   */
  handle(template: string, handler: AppHandler): this {
    // The core knows no Broker: the message gets this façade here, on its way to the handler.
    this.core.apps.add(template, (request) => handler(Object.assign(request, { broker: this })));
    return this;
  }

  /** Appends an inbound interceptor (see {@link InboundInterceptor}). */
  useInbound(interceptor: InboundInterceptor): this {
    this.core.inbound.push(interceptor);
    return this;
  }

  /** Appends an outbound interceptor (see {@link OutboundInterceptor}). */
  useOutbound(interceptor: OutboundInterceptor): this {
    this.core.outbound.push(interceptor);
    return this;
  }

  /**
   * Serves STOMP over WebSocket on an existing HTTP server at `options.path` (default `/ws`);
   * upgrade requests for other paths are left alone, so a Koa app can share the port.
   */
  async attach(server: Server): Promise<void> {
    await this.startRelay();
    this.wsEndpoint().attach(server);
  }

  /** Serves on a new HTTP server of its own; resolves once listening. */
  async listen(port = 0, host = '127.0.0.1'): Promise<Listening> {
    await this.startRelay();
    const server = createServer((_request, response) => {
      response
        .writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' })
        .end('This is a STOMP over WebSocket endpoint.\n');
    });
    this.wsEndpoint().attach(server, true);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.ownServer = server;
    const address = server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const path = this.options.path ?? '/ws';
    return { url: `ws://${shown}:${address.port}${path}`, port: address.port, server };
  }

  /**
   * Takes a connection from any transport (an in-memory pair in tests, another carrier). The
   * relay, if any, must have been started by `attach`/`listen` or {@link start}.
   */
  accept(transport: Transport, info?: ConnectionInfo): Session {
    return this.core.accept(transport, info);
  }

  /** Starts the relay without serving WebSocket (for brokers fed only through `accept`). */
  start(): Promise<void> {
    return this.startRelay();
  }

  /** Number of open sessions. */
  get sessionCount(): number {
    return this.core.sessions.size;
  }

  /** Every open session. */
  sessions(): IterableIterator<Session> {
    return this.core.sessions.values();
  }

  session(id: string): Session | undefined {
    return this.core.sessions.get(id);
  }

  /** The open sessions of one principal. */
  sessionsOf(principalName: string): Session[] {
    return [...(this.core.sessionsOf(principalName) ?? [])];
  }

  /**
   * Publishes from the server side: to a topic (every subscriber, on every broker sharing the
   * relay), a queue, or `/user/{name}/…`.
   */
  publish(destination: string, body: string | Buffer, headers: HeaderList = []): void {
    this.core.route(destination, headers, body);
  }

  /**
   * Publishes to this broker's own subscribers of a topic only, never through the relay: for
   * applications whose every instance receives the same stream (e.g. each consumes one Kafka
   * topic) and must not deliver it twice.
   */
  publishLocal(destination: string, body: string | Buffer, headers: HeaderList = []): void {
    if (!destination.startsWith('/topic/'))
      throw new TypeError(`publishLocal takes /topic/… destinations; got ${destination}.`);
    this.core.publishTopic(destination, headers, body, true);
  }

  /**
   * Sends to every session of `user` subscribed to `/user` + `destination`, on every broker
   * sharing the relay: `sendToUser('u1', '/queue/notices', …)` reaches `/user/queue/notices`.
   */
  sendToUser(
    user: string,
    destination: string,
    body: string | Buffer,
    headers: HeaderList = [],
  ): void {
    this.core.sendToUser(user, destination, headers, body);
  }

  /** Sends to one session's `/user` + `destination` subscriptions; returns how many got it. */
  sendToSession(
    session: Session | string,
    destination: string,
    body: string | Buffer,
    headers: HeaderList = [],
  ): number {
    const target = typeof session === 'string' ? this.core.sessions.get(session) : session;
    if (!target) return 0;
    return this.core.deliverToSession(target, '/user' + destination, headers, body);
  }

  /**
   * Sends one MESSAGE to one subscription only (e.g. history replayed to a fresh subscriber
   * before live traffic). Returns false if there is no such subscription or it was not sent.
   */
  sendToSubscription(
    sessionId: string,
    subscriptionId: string,
    body: string | Buffer,
    headers: HeaderList = [],
  ): boolean {
    const subscription = this.core.sessions.get(sessionId)?.subscriptions.get(subscriptionId);
    if (!subscription) return false;
    const template = new MessageTemplate(
      subscription.destination,
      headers,
      body,
      this.core.nextMessageId(),
    );
    return this.core.router.deliver(subscription, template, false);
  }

  /**
   * Ends a session from outside (token expired, user banned…): an ERROR with `message` and a
   * body starting with `code`, then the close. Returns false if there is no such open session.
   */
  closeSession(id: string, message: string, code: string = ErrorCode.SessionClosed): boolean {
    const session = this.core.sessions.get(id);
    if (!session || !session.open) return false;
    this.core.fail(session, new StompError(code, message));
    return true;
  }

  /**
   * Ends one subscription from outside (e.g. a member kicked from a channel): no more MESSAGEs
   * reach it; the `unsubscribed` event carries `reason`. STOMP has no frame to tell the client,
   * so tell it your own way (e.g. `sendToSession`). Returns false if there was none.
   */
  unsubscribe(sessionId: string, subscriptionId: string, reason = 'server_unsubscribe'): boolean {
    const subscription = this.core.sessions.get(sessionId)?.subscriptions.get(subscriptionId);
    if (!subscription) return false;
    this.core.removeSubscription(subscription, reason);
    return true;
  }

  /** Ends every subscription matching `predicate`; returns how many. */
  unsubscribeWhere(
    predicate: (subscription: Subscription) => boolean,
    reason = 'server_unsubscribe',
  ): number {
    let count = 0;
    for (const session of this.core.sessions.values()) {
      if (session.state !== SessionState.Connected) continue;
      for (const subscription of [...session.subscriptions.values()]) {
        if (!predicate(subscription)) continue;
        this.core.removeSubscription(subscription, reason);
        count++;
      }
    }
    return count;
  }

  /**
   * Graceful shutdown: stops accepting, sends every session ERROR "The server is shutting down."
   * and closes it (cutting off peers that do not close within `graceMs`), then stops the relay
   * and its own server. Resolves once every socket is gone.
   */
  async close(graceMs = 5000): Promise<void> {
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    const endpoint = this.endpoint;
    await this.core.shutdown(graceMs);
    await endpoint?.close();
    await this.core.relay.close();
    const server = this.ownServer;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    }
  }

  private wsEndpoint(): WsEndpoint {
    this.endpoint ??= new WsEndpoint(
      {
        path: this.options.path ?? '/ws',
        maxPayload: maxMessageSize(this.core.limits),
        perMessageDeflate: this.options.perMessageDeflate ?? false,
        clientAddress: this.options.clientAddress,
      },
      (transport, info) => this.core.accept(transport, info),
    );
    return this.endpoint;
  }

  private startRelay(): Promise<void> {
    this.relayStarted ??= this.core.relay.start((message) => this.core.fromRelay(message));
    return this.relayStarted;
  }
}
