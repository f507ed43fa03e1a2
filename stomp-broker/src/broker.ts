import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUtf8 } from 'node:buffer';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppRouter, type AppHandler } from './app-router';
import { defaultParserLimits, FrameParser } from './codec/parser';
import { MessageTemplate } from './codec/serializer';
import { StompError } from './errors';
import { header, supportedVersions, type Frame, type HeaderList, type StompVersion } from './frame';
import { HeartbeatWheel } from './heartbeat';
import { LocalRelay, type Relay, type RelayMessage } from './relay';
import { Session, SessionState, type AckMode, type Principal, type Subscription } from './session';

export interface BrokerLimits {
  maxFrameSize: number;
  maxHeaders: number;
  maxHeaderLength: number;
  maxSubscriptionsPerSession: number;
  maxSessionsPerPrincipal: number;
  /** Messages a queue holds while it has no consumer; past it the oldest are dropped. */
  maxQueuedMessages: number;
  /** Outgoing bytes buffered for a session past which topic messages to it are dropped. */
  slowConsumerDropBytes: number;
  /** Past this, the session is ended: memory stays bounded and no other session waits. */
  slowConsumerCloseBytes: number;
  /** A session that had this many topic messages dropped in a row is ended too. */
  slowConsumerMaxDrops: number;
}

export const defaultLimits: BrokerLimits = {
  ...defaultParserLimits,
  maxSubscriptionsPerSession: 256,
  maxSessionsPerPrincipal: 32,
  maxQueuedMessages: 10_000,
  slowConsumerDropBytes: 1024 * 1024,
  slowConsumerCloseBytes: 8 * 1024 * 1024,
  slowConsumerMaxDrops: 1000,
};

export interface ConnectRequest {
  session: Session;
  frame: Frame;
  /** The HTTP upgrade request (cookies, origin, address). */
  request: IncomingMessage;
}

/** Returns the principal, or throws a StompError to refuse the connection. */
export type Authenticate = (
  request: ConnectRequest,
) => Principal | undefined | Promise<Principal | undefined>;
/**
 * Sees every frame after CONNECT, in order, before the broker acts on it. Throw a StompError to
 * end the session with that ERROR; return false to skip the frame quietly (after telling the
 * client in your own way), which keeps the session.
 */
export type InboundInterceptor = (
  frame: Frame,
  session: Session,
) => void | boolean | Promise<void | boolean>;
/** Sees each MESSAGE before it goes to one session; false drops it for that session. Synchronous: it runs per delivery. */
export type OutboundInterceptor = (
  session: Session,
  subscription: Subscription,
  message: MessageTemplate,
) => boolean;

export interface BrokerOptions {
  /** WebSocket path; default `/ws`. */
  path?: string;
  limits?: Partial<BrokerLimits>;
  /** [cx, cy] this broker offers: can send every cx ms, wants to receive every cy ms; default [10000, 10000]. */
  heartbeat?: [number, number];
  /** A peer silent for its heart-beat period times this is disconnected; default 2. */
  heartbeatGrace?: number;
  /** Prefix of application destinations; default `/app`. */
  appPrefix?: string;
  authenticate?: Authenticate;
  inbound?: InboundInterceptor[];
  outbound?: OutboundInterceptor[];
  relay?: Relay;
  /** Where unexpected errors (not StompErrors) are reported; they reach the client as a generic ERROR. */
  onError?: (error: unknown, session: Session | undefined) => void;
  /** Value of CONNECTED's `server` header. */
  serverName?: string;
}

export interface BrokerMetrics {
  sessions: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Topic messages not sent to slow consumers. */
  drops: number;
  slowConsumerDisconnects: number;
}

interface Pending {
  ackId: string;
  template: MessageTemplate;
  subscription: Subscription;
  queue: QueueState;
}

interface QueueState {
  consumers: Subscription[];
  next: number;
  backlog: { template: MessageTemplate; redelivered: boolean }[];
}

const reserved = new Set([
  'destination',
  'transaction',
  'receipt',
  'content-length',
  'message-id',
  'subscription',
  'ack',
]);

/**
 * A STOMP 1.0/1.1/1.2 broker over WebSocket: `/topic/…` pub/sub, `/queue/…` competing consumers
 * with acknowledgements, `/user/…` destinations per principal, and application destinations
 * (`/app/…`) routed to handlers. Events: `connected` (session), `disconnected` (session, reason),
 * `subscribed` (subscription), `unsubscribed` (subscription, reason).
 */
export class Broker extends EventEmitter {
  readonly nodeId = randomUUID();
  readonly limits: BrokerLimits;
  readonly metrics: BrokerMetrics = {
    sessions: 0,
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    drops: 0,
    slowConsumerDisconnects: 0,
  };
  private readonly sessions = new Map<string, Session>();
  private readonly byPrincipal = new Map<string, Set<Session>>();
  private readonly topics = new Map<string, Set<Subscription>>();
  private readonly queues = new Map<string, QueueState>();
  /** `/user/queue/x` subscriptions by principal name. */
  private readonly userSubscriptions = new Map<string, Set<Subscription>>();
  private readonly pendingAcks = new Map<string, Pending>();
  private readonly router = new AppRouter();
  private readonly wheel: HeartbeatWheel;
  private readonly relay: Relay;
  private readonly heartbeat: [number, number];
  private readonly appPrefix: string;
  private wss: WebSocketServer | undefined;
  private ownServer: Server | undefined;
  private counter = 0;
  private readonly relaying: boolean;
  private readonly messageIdPrefix: string;
  private closing = false;

  constructor(private readonly options: BrokerOptions = {}) {
    super();
    this.limits = { ...defaultLimits, ...options.limits };
    this.heartbeat = options.heartbeat ?? [10_000, 10_000];
    this.appPrefix = options.appPrefix ?? '/app';
    const shortest = Math.min(...this.heartbeat.filter((h) => h > 0), 2000);
    this.wheel = new HeartbeatWheel(
      Math.max(50, Math.floor(shortest / 2)),
      options.heartbeatGrace ?? 2,
      (s) => this.end(s, 'heart-beat timeout', true),
    );
    this.relay = options.relay ?? new LocalRelay();
    this.relaying = !(this.relay instanceof LocalRelay);
    this.messageIdPrefix = `${this.nodeId.slice(0, 8)}-`;
  }

  /** Registers an application handler for `appPrefix + template`, e.g. `/channels/{channelId}/messages`. */
  handle(template: string, handler: AppHandler): this {
    this.router.add(template, handler);
    return this;
  }

  /** Serves STOMP on an existing HTTP server's upgrade requests at `path` (others are left alone). */
  async attach(server: Server): Promise<void> {
    await this.relay.start((m) => this.fromRelay(m));
    const path = this.options.path ?? '/ws';
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: this.limits.maxFrameSize + 1024,
      handleProtocols: (protocols) =>
        ['v12.stomp', 'v11.stomp', 'v10.stomp'].find((p) => protocols.has(p)) ?? false,
    });
    server.on('upgrade', (request: IncomingMessage, socket, head) => {
      if (new URL(request.url ?? '/', 'http://x').pathname !== path) return;
      if (this.closing) return socket.destroy();
      this.wss!.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
    });
  }

  /** Serves STOMP on a new HTTP server of its own; resolves with its ws:// URL once listening. */
  async listen(port = 0, host = '127.0.0.1'): Promise<{ url: string; server: Server }> {
    const server = createServer((_req, res) => {
      res
        .writeHead(426, { 'content-type': 'text/plain' })
        .end('This is a STOMP over WebSocket endpoint.\n');
    });
    await this.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.ownServer = server;
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `ws://${shownHost}:${address.port}${this.options.path ?? '/ws'}`, server };
  }

  /** All sessions, or those of one principal. */
  sessionsOf(principalName?: string): Session[] {
    if (principalName === undefined) return [...this.sessions.values()];
    return [...(this.byPrincipal.get(principalName) ?? [])];
  }

  session(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Ends a session from outside (token expired, user banned…) with an ERROR carrying `message`. */
  closeSession(id: string, message: string, code = 'session_closed'): void {
    const session = this.sessions.get(id);
    if (session) this.fail(session, new StompError(code, message));
  }

  /** Ends one subscription from outside (access lost); the client is told by the application. */
  endSubscription(
    sessionId: string,
    subscriptionId: string,
    reason = 'ended by the server',
  ): boolean {
    const subscription = this.sessions.get(sessionId)?.subscriptions.get(subscriptionId);
    if (!subscription) return false;
    this.removeSubscription(subscription, reason);
    return true;
  }

  /** Publishes to a destination from the server side (a topic, a queue, or `/user/{name}/…`). */
  publish(destination: string, body: string | Buffer, headers: HeaderList = []): void {
    this.route(destination, new MessageTemplate(destination, headers, body), undefined);
  }

  /** Sends to every session of `user` subscribed to `/user` + `destination` (e.g. `/queue/notices`). */
  sendToUser(
    user: string,
    destination: string,
    body: string | Buffer,
    headers: HeaderList = [],
  ): void {
    const template = new MessageTemplate(destination, headers, body);
    this.deliverToUser(user, template);
    if (this.relaying) this.relay.publish(this.relayMessage('user', template, user));
  }

  /** Sends to one session's `/user` + `destination` subscriptions only. */
  sendToSession(
    session: Session,
    destination: string,
    body: string | Buffer,
    headers: HeaderList = [],
  ): void {
    const template = new MessageTemplate(destination, headers, body);
    const wanted = '/user' + destination;
    for (const subscription of session.subscriptions.values()) {
      if (subscription.destination === wanted) this.deliver(subscription, template, false);
    }
  }

  /** Stops accepting, ends every session with an ERROR, and resolves when all sockets are gone. */
  async close(): Promise<void> {
    this.closing = true;
    const gone = [...this.sessions.values()].map(
      (s) =>
        new Promise<void>((resolve) =>
          s.state === SessionState.Closed ? resolve() : s.socket.once('close', () => resolve()),
        ),
    );
    for (const session of this.sessions.values())
      this.fail(session, new StompError('shutting_down', 'The server is shutting down.'), 1001);
    const timeout = setTimeout(() => this.sessions.forEach((s) => s.socket.terminate()), 5000);
    await Promise.all(gone);
    clearTimeout(timeout);
    this.wheel.stop();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await this.relay.close();
    if (this.ownServer)
      await new Promise<void>((resolve) => this.ownServer!.close(() => resolve()));
  }

  // ——— connections ———

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const session = new Session(
      randomUUID(),
      ws,
      request.socket.remoteAddress,
      new FrameParser(this.limits, () => undefined),
    );
    this.sessions.set(session.id, session);
    this.metrics.sessions++;
    ws.on('message', (data: Buffer | Buffer[] | ArrayBuffer) => {
      if (!session.open) return;
      const chunk = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      session.lastReceived = Date.now();
      this.metrics.bytesIn += chunk.length;
      let frames: Frame[];
      try {
        frames = session.parser.push(chunk);
      } catch (error) {
        return this.fail(session, error);
      }
      if (!frames.length) return;
      this.metrics.framesIn += frames.length;
      session.pending.push(...frames);
      if (!session.busy) void this.drain(session, request);
    });
    ws.on('close', () => this.cleanup(session, 'connection closed'));
    ws.on('error', () => ws.terminate());
  }

  /** Handles a session's frames one after another; async hooks hold the frames behind them. */
  private async drain(session: Session, request: IncomingMessage): Promise<void> {
    session.busy = true;
    while (session.pending.length && session.open) {
      const frame = session.pending.shift()!;
      try {
        const result = this.dispatch(session, frame, request);
        if (result) await result;
      } catch (error) {
        this.fail(session, error, 1002, header(frame, 'receipt'));
      }
    }
    session.busy = false;
  }

  private dispatch(session: Session, frame: Frame, request: IncomingMessage): void | Promise<void> {
    if (session.state === SessionState.Connecting) {
      if (frame.command !== 'CONNECT' && frame.command !== 'STOMP') {
        throw new StompError('not_connected', `Expected CONNECT, got ${frame.command}.`);
      }
      return this.connect(session, frame, request);
    }
    if (frame.command === 'CONNECT' || frame.command === 'STOMP') {
      throw new StompError('already_connected', 'This session is already connected.');
    }
    const interceptors = this.options.inbound;
    if (interceptors?.length) return this.intercepted(session, frame, interceptors);
    return this.act(session, frame);
  }

  private async intercepted(
    session: Session,
    frame: Frame,
    interceptors: InboundInterceptor[],
  ): Promise<void> {
    for (const interceptor of interceptors) {
      if ((await interceptor(frame, session)) === false) return;
    }
    await this.act(session, frame);
  }

  private async connect(session: Session, frame: Frame, request: IncomingMessage): Promise<void> {
    // Spec 1.2 "Protocol Negotiation": no accept-version means 1.0.
    const offered = (header(frame, 'accept-version') ?? '1.0').split(',').map((v) => v.trim());
    const version = supportedVersions.find((v) => offered.includes(v));
    if (!version) {
      throw new StompError(
        'unsupported_version',
        `Supported protocol versions are ${supportedVersions.join(' ')}.`,
      );
    }
    session.version = version;
    session.parser.version = version;
    const [cx, cy] = parseHeartbeat(header(frame, 'heart-beat'));
    const [sx, sy] = this.heartbeat;
    session.sendEvery = sx && cy ? Math.max(sx, cy) : 0;
    session.expectEvery = cx && sy ? Math.max(cx, sy) : 0;

    const principal = this.options.authenticate
      ? await this.options.authenticate({ session, frame, request })
      : undefined;
    if (!session.open) return;
    if (principal) {
      const others = this.byPrincipal.get(principal.name);
      if (others && others.size >= this.limits.maxSessionsPerPrincipal) {
        throw new StompError(
          'too_many_sessions',
          `At most ${this.limits.maxSessionsPerPrincipal} sessions per user.`,
        );
      }
      session.principal = principal;
      if (others) others.add(session);
      else this.byPrincipal.set(principal.name, new Set([session]));
    }
    session.state = SessionState.Connected;
    const headers: [string, string][] = [
      ['version', version],
      ['heart-beat', `${sx},${sy}`],
      ['session', session.id],
      ['server', this.options.serverName ?? 'echopulse-stomp/0.1'],
    ];
    if (principal) headers.push(['user-name', principal.name]);
    this.send(session, session.frame('CONNECTED', headers));
    this.wheel.add(session);
    this.emit('connected', session);
  }

  private act(session: Session, frame: Frame): void | Promise<void> {
    const transaction = header(frame, 'transaction');
    if (
      transaction !== undefined &&
      (frame.command === 'SEND' || frame.command === 'ACK' || frame.command === 'NACK')
    ) {
      const held = session.transactions.get(transaction);
      if (!held)
        throw new StompError('unknown_transaction', `No open transaction "${transaction}".`);
      held.push(frame);
      return this.receipt(session, frame);
    }
    switch (frame.command) {
      case 'SEND':
        return this.afterReceipt(session, frame, this.onSend(session, frame));
      case 'SUBSCRIBE':
        this.onSubscribe(session, frame);
        return this.receipt(session, frame);
      case 'UNSUBSCRIBE': {
        const id =
          header(frame, 'id') ??
          (session.version === '1.0' ? header(frame, 'destination') : undefined);
        if (id === undefined)
          throw new StompError('missing_header', 'UNSUBSCRIBE needs an id header.');
        const subscription = session.subscriptions.get(id);
        if (subscription) this.removeSubscription(subscription, 'unsubscribed');
        return this.receipt(session, frame);
      }
      case 'ACK':
      case 'NACK':
        this.onAck(session, frame, frame.command === 'ACK');
        return this.receipt(session, frame);
      case 'BEGIN': {
        const name = required(frame, 'transaction');
        if (session.transactions.has(name))
          throw new StompError('duplicate_transaction', `Transaction "${name}" is already open.`);
        session.transactions.set(name, []);
        return this.receipt(session, frame);
      }
      case 'COMMIT':
        return this.afterReceipt(
          session,
          frame,
          this.commit(session, required(frame, 'transaction')),
        );
      case 'ABORT': {
        const name = required(frame, 'transaction');
        if (!session.transactions.delete(name))
          throw new StompError('unknown_transaction', `No open transaction "${name}".`);
        return this.receipt(session, frame);
      }
      case 'DISCONNECT':
        return this.disconnect(session, frame);
      default:
        throw new StompError('unknown_command', `Unknown command ${frame.command}.`);
    }
  }

  private async commit(session: Session, name: string): Promise<void> {
    const held = session.transactions.get(name);
    if (!held) throw new StompError('unknown_transaction', `No open transaction "${name}".`);
    session.transactions.delete(name);
    for (const frame of held) {
      if (frame.command === 'SEND') await this.onSend(session, frame);
      else this.onAck(session, frame, frame.command === 'ACK');
    }
  }

  private afterReceipt(
    session: Session,
    frame: Frame,
    work: void | Promise<void>,
  ): void | Promise<void> {
    if (work instanceof Promise) return work.then(() => this.receipt(session, frame));
    return this.receipt(session, frame);
  }

  private receipt(session: Session, frame: Frame): void {
    const id = header(frame, 'receipt');
    if (id !== undefined && session.open)
      this.send(session, session.frame('RECEIPT', [['receipt-id', id]]));
  }

  private disconnect(session: Session, frame: Frame): void {
    const id = header(frame, 'receipt');
    session.state = SessionState.Closing;
    // Spec 1.2 "DISCONNECT": the RECEIPT arrives before the connection closes.
    if (id !== undefined) {
      this.send(session, session.frame('RECEIPT', [['receipt-id', id]]), () =>
        session.socket.close(1000),
      );
    } else {
      session.socket.close(1000);
    }
  }

  // ——— SEND ———

  private onSend(session: Session, frame: Frame): void | Promise<void> {
    const destination = required(frame, 'destination');
    const body = isUtf8(frame.body) ? frame.body.toString('utf8') : frame.body;
    const headers = userHeaders(frame.headers);
    if (destination.startsWith(this.appPrefix + '/')) {
      const route = this.router.match(destination.slice(this.appPrefix.length));
      if (!route)
        throw new StompError('unknown_destination', `No application destination ${destination}.`);
      return route.handler({
        session,
        principal: session.principal,
        destination,
        params: route.params,
        headers: frame.headers,
        body: frame.body,
        broker: this,
      });
    }
    this.route(destination, new MessageTemplate(destination, headers, body), session);
  }

  private route(destination: string, template: MessageTemplate, from: Session | undefined): void {
    if (destination.startsWith('/topic/')) {
      this.deliverToTopic(template);
      if (this.relaying) this.relay.publish(this.relayMessage('topic', template));
    } else if (destination.startsWith('/queue/')) {
      this.enqueue(destination, template, false);
    } else if (destination.startsWith('/user/')) {
      // `/user/{name}/queue/x` reaches that user's `/user/queue/x` subscriptions (as in Spring).
      const match = /^\/user\/([^/]+)(\/.+)$/.exec(destination);
      if (!match)
        throw new StompError('unknown_destination', `Malformed user destination ${destination}.`);
      const user = decodeURIComponent(match[1]!);
      const userTemplate = new MessageTemplate(match[2]!, template.headers, template.body);
      this.deliverToUser(user, userTemplate);
      if (this.relaying) this.relay.publish(this.relayMessage('user', userTemplate, user));
    } else {
      throw new StompError(
        'unknown_destination',
        `Destinations start with /topic/, /queue/, /user/ or ${this.appPrefix}/; got ${destination}.`,
      );
    }
    void from;
  }

  private relayMessage(
    kind: 'topic' | 'user',
    template: MessageTemplate,
    user?: string,
  ): RelayMessage {
    const binary = typeof template.body !== 'string';
    return {
      origin: this.nodeId,
      kind,
      destination: template.destination,
      ...(user !== undefined ? { user } : {}),
      headers: template.headers.map(([n, v]) => [n, v]),
      body: binary ? (template.body as Buffer).toString('base64') : (template.body as string),
      binary,
    };
  }

  private fromRelay(message: RelayMessage): void {
    if (message.origin === this.nodeId) return;
    const body = message.binary ? Buffer.from(message.body, 'base64') : message.body;
    const template = new MessageTemplate(message.destination, message.headers, body);
    if (message.kind === 'topic') this.deliverToTopic(template);
    else if (message.user !== undefined) this.deliverToUser(message.user, template);
  }

  private deliverToTopic(template: MessageTemplate): void {
    const subscribers = this.topics.get(template.destination);
    if (subscribers)
      for (const subscription of subscribers) this.deliver(subscription, template, false);
  }

  private deliverToUser(user: string, template: MessageTemplate): void {
    const wanted = '/user' + template.destination;
    const subscriptions = this.userSubscriptions.get(user);
    if (subscriptions)
      for (const s of subscriptions) if (s.destination === wanted) this.deliver(s, template, false);
  }

  private enqueue(
    destination: string,
    template: MessageTemplate,
    redelivered: boolean,
    front = false,
  ): void {
    const queue = this.queue(destination);
    if (!queue.consumers.length) {
      if (front) queue.backlog.unshift({ template, redelivered });
      else queue.backlog.push({ template, redelivered });
      if (queue.backlog.length > this.limits.maxQueuedMessages) {
        queue.backlog.shift();
        this.metrics.drops++;
      }
      return;
    }
    const consumer = queue.consumers[queue.next++ % queue.consumers.length]!;
    this.deliver(consumer, template, redelivered, queue);
  }

  private queue(destination: string): QueueState {
    let queue = this.queues.get(destination);
    if (!queue) {
      queue = { consumers: [], next: 0, backlog: [] };
      this.queues.set(destination, queue);
    }
    return queue;
  }

  /** Sends one MESSAGE; the slow-consumer policy applies to topic and user messages. */
  private deliver(
    subscription: Subscription,
    template: MessageTemplate,
    redelivered: boolean,
    queue?: QueueState,
  ): void {
    const session = subscription.session;
    if (!session.open) return;
    const buffered = session.socket.bufferedAmount;
    if (buffered > this.limits.slowConsumerCloseBytes) {
      this.metrics.slowConsumerDisconnects++;
      this.fail(
        session,
        new StompError('slow_consumer', 'The connection could not keep up and was closed.'),
      );
      session.socket.terminate();
      return;
    }
    if (!queue && buffered > this.limits.slowConsumerDropBytes) {
      this.metrics.drops++;
      if (++session.dropsInARow >= this.limits.slowConsumerMaxDrops) {
        this.metrics.slowConsumerDisconnects++;
        session.socket.terminate();
      }
      return;
    }
    session.dropsInARow = 0;
    const outbound = this.options.outbound;
    if (outbound)
      for (const interceptor of outbound) if (!interceptor(session, subscription, template)) return;
    const messageId = this.messageIdPrefix + ++this.counter;
    const needsAck = subscription.ack !== 'auto';
    const ackId = needsAck ? `${session.id}:${messageId}` : undefined;
    if (ackId && queue) this.pendingAcks.set(ackId, { ackId, template, subscription, queue });
    // Spec 1.2 "MESSAGE": the ack header when the subscription needs acknowledgement.
    const ack = session.version === '1.2' ? ackId : undefined;
    const wire = template.render(
      session.version,
      subscription.id,
      messageId,
      ack,
      redelivered ? redeliveredHeader : undefined,
    );
    this.metrics.framesOut++;
    this.metrics.bytesOut += session.write(wire, undefined, template.lastBytes);
  }

  private onAck(session: Session, frame: Frame, positive: boolean): void {
    // 1.2 acknowledges by `id` (the MESSAGE's ack header); 1.0/1.1 by `message-id`.
    const id = session.version === '1.2' ? header(frame, 'id') : header(frame, 'message-id');
    if (id === undefined) {
      throw new StompError(
        'missing_header',
        `${frame.command} needs an ${session.version === '1.2' ? 'id' : 'message-id'} header.`,
      );
    }
    const ackId = session.version === '1.2' ? id : `${session.id}:${id}`;
    const pending = this.pendingAcks.get(ackId);
    if (!pending || pending.subscription.session !== session) return; // a topic message, or already settled
    const settled: Pending[] = [];
    if (pending.subscription.ack === 'client') {
      // Cumulative: this message and every earlier one of the same subscription.
      for (const p of this.pendingAcks.values()) {
        if (p.subscription === pending.subscription) settled.push(p);
        if (p === pending) break;
      }
    } else {
      settled.push(pending);
    }
    for (const p of settled) {
      this.pendingAcks.delete(p.ackId);
      if (!positive) this.enqueue(p.template.destination, p.template, true);
    }
  }

  // ——— SUBSCRIBE ———

  private onSubscribe(session: Session, frame: Frame): void {
    const destination = required(frame, 'destination');
    const id = header(frame, 'id') ?? (session.version === '1.0' ? destination : undefined);
    if (id === undefined) throw new StompError('missing_header', 'SUBSCRIBE needs an id header.');
    if (session.subscriptions.has(id))
      throw new StompError('duplicate_subscription', `Subscription id "${id}" is already in use.`);
    if (session.subscriptions.size >= this.limits.maxSubscriptionsPerSession) {
      throw new StompError(
        'too_many_subscriptions',
        `At most ${this.limits.maxSubscriptionsPerSession} subscriptions per session.`,
      );
    }
    const ack = (header(frame, 'ack') ?? 'auto') as AckMode;
    if (ack !== 'auto' && ack !== 'client' && ack !== 'client-individual') {
      throw new StompError('invalid_header', `Unknown ack mode "${ack}".`);
    }
    const subscription: Subscription = { id, destination, ack, session, headers: frame.headers };
    if (destination.startsWith('/topic/')) {
      const set = this.topics.get(destination);
      if (set) set.add(subscription);
      else this.topics.set(destination, new Set([subscription]));
    } else if (destination.startsWith('/user/')) {
      if (!session.principal)
        throw new StompError('forbidden', 'User destinations need an authenticated session.');
      const set = this.userSubscriptions.get(session.principal.name);
      if (set) set.add(subscription);
      else this.userSubscriptions.set(session.principal.name, new Set([subscription]));
    } else if (destination.startsWith('/queue/')) {
      const queue = this.queue(destination);
      queue.consumers.push(subscription);
      session.subscriptions.set(id, subscription);
      this.emit('subscribed', subscription);
      while (queue.backlog.length && subscription.session.open) {
        const { template, redelivered } = queue.backlog.shift()!;
        this.enqueue(destination, template, redelivered);
      }
      return;
    } else {
      throw new StompError('unknown_destination', `Cannot subscribe to ${destination}.`);
    }
    session.subscriptions.set(id, subscription);
    this.emit('subscribed', subscription);
  }

  private removeSubscription(subscription: Subscription, reason: string): void {
    const { session, destination } = subscription;
    if (!session.subscriptions.delete(subscription.id)) return;
    if (destination.startsWith('/topic/')) {
      const set = this.topics.get(destination);
      set?.delete(subscription);
      if (set && !set.size) this.topics.delete(destination);
    } else if (destination.startsWith('/user/') && session.principal) {
      const set = this.userSubscriptions.get(session.principal.name);
      set?.delete(subscription);
      if (set && !set.size) this.userSubscriptions.delete(session.principal.name);
    } else if (destination.startsWith('/queue/')) {
      const queue = this.queues.get(destination);
      if (queue) {
        queue.consumers = queue.consumers.filter((c) => c !== subscription);
        // Unacknowledged messages go back to the queue, marked redelivered, in their order.
        const unacked = [...this.pendingAcks.values()].filter(
          (p) => p.subscription === subscription,
        );
        for (const p of unacked) this.pendingAcks.delete(p.ackId);
        for (const p of unacked.reverse()) this.enqueue(destination, p.template, true, true);
        if (!queue.consumers.length && !queue.backlog.length) this.queues.delete(destination);
      }
    }
    this.emit('unsubscribed', subscription, reason);
  }

  // ——— errors and endings ———

  private send(session: Session, wire: string | Buffer, onSent?: () => void): void {
    this.metrics.framesOut++;
    this.metrics.bytesOut += session.write(wire, onSent);
  }

  /** Spec 1.2 "ERROR": a `message` header, `receipt-id` when the frame had a receipt, then close. */
  private fail(session: Session, error: unknown, code = 1002, receiptId?: string): void {
    if (!session.open) return;
    const known = error instanceof StompError;
    if (!known) this.options.onError?.(error, session);
    const message = known ? error.message : 'Internal server error.';
    const headers: [string, string][] = [
      ['message', message],
      ['content-type', 'text/plain'],
    ];
    if (known && error.code === 'unsupported_version')
      headers.push(['version', supportedVersions.join(',')]);
    if (receiptId !== undefined) headers.push(['receipt-id', receiptId]);
    const body = known
      ? `${error.code}: ${error.message}${error.details ? `\n${error.details}` : ''}`
      : 'internal';
    session.state = SessionState.Closing;
    session.pending.length = 0;
    this.send(session, session.frame('ERROR', headers, body), () => session.socket.close(code));
  }

  private end(session: Session, reason: string, terminate: boolean): void {
    if (terminate) session.socket.terminate();
    this.cleanup(session, reason);
  }

  private cleanup(session: Session, reason: string): void {
    if (session.state === SessionState.Closed) return;
    const wasConnected =
      session.state === SessionState.Connected || session.principal !== undefined;
    session.state = SessionState.Closed;
    this.wheel.delete(session);
    session.transactions.clear(); // open transactions are aborted on disconnect
    for (const subscription of [...session.subscriptions.values()])
      this.removeSubscription(subscription, reason);
    this.sessions.delete(session.id);
    this.metrics.sessions--;
    if (session.principal) {
      const set = this.byPrincipal.get(session.principal.name);
      set?.delete(session);
      if (set && !set.size) this.byPrincipal.delete(session.principal.name);
    }
    if (wasConnected) this.emit('disconnected', session, reason);
  }
}

const redeliveredHeader: HeaderList = [['redelivered', 'true']];

/** The headers a MESSAGE carries on from a SEND: all but the broker's own, first occurrence only. */
function userHeaders(headers: HeaderList): HeaderList {
  if (headers.length <= 3 && headers.every(([n]) => reserved.has(n))) return [];
  const seen = new Set<string>();
  const kept: [string, string][] = [];
  for (const [name, value] of headers) {
    if (reserved.has(name) || seen.has(name)) continue;
    seen.add(name);
    kept.push([name, value]);
  }
  return kept;
}

function required(frame: Frame, name: string): string {
  const value = header(frame, name);
  if (value === undefined)
    throw new StompError('missing_header', `${frame.command} needs a ${name} header.`);
  return value;
}

function parseHeartbeat(value: string | undefined): [number, number] {
  if (value === undefined) return [0, 0];
  const match = /^(\d+),(\d+)$/.exec(value);
  if (!match)
    throw new StompError('invalid_header', 'heart-beat must be two numbers, e.g. 10000,10000.');
  return [Number(match[1]), Number(match[2])];
}

export type { StompVersion };
