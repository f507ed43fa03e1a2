import { randomUUID } from 'node:crypto';
import { AppRouter } from './app-router';
import { FrameParser } from './codec/parser';
import { MessageTemplate, serializeFrame } from './codec/serializer';
import { destinationKind, parseUserDestination } from './destinations/destination';
import { MessageRouter } from './destinations/message-router';
import { BrokerError, ErrorCode, FrameRejection, StompError } from './errors';
import { header, supportedVersions, type Frame, type HeaderList } from './frame';
import { handlers } from './handlers';
import type { EmitEvent, HandlerContext } from './handlers/context';
import { HeartbeatWheel } from './heartbeat';
import type { Authenticate, InboundInterceptor, OutboundInterceptor } from './hooks';
import { defaultLimits, type BrokerLimits } from './limits';
import { newMetrics, type BrokerMetrics } from './metrics';
import type { BrokerOptions } from './options';
import { PendingConnections } from './pending-connections';
import { LocalRelay, toRelayMessage, type Relay, type RelayMessage } from './relay';
import { Session, SessionState, type Principal, type Subscription } from './session';
import { writeToSession } from './session-writer';
import type { ConnectionInfo, Transport } from './transport/transport';

const noFrames: Frame | undefined = undefined;

/**
 * The engine behind the `Broker` façade: sessions, the per-session serial frame queue, errors
 * and endings, and routing. Handlers (one module per frame) act through it as their
 * {@link HandlerContext}; it knows nothing of the façade. Not exported.
 */
export class BrokerCore implements HandlerContext {
  readonly nodeId = randomUUID();
  readonly limits: BrokerLimits;
  readonly metrics: BrokerMetrics = newMetrics();
  readonly router: MessageRouter;
  readonly apps = new AppRouter();
  readonly sessions = new Map<string, Session>();
  readonly heartbeat: [number, number];
  readonly appPrefix: string;
  readonly rejectionDestination: string;
  readonly serverName: string;
  readonly inbound: InboundInterceptor[];
  readonly outbound: OutboundInterceptor[];
  readonly authenticate: Authenticate | undefined;
  readonly relay: Relay;
  private readonly relaying: boolean;
  private readonly byPrincipal = new Map<string, Set<Session>>();
  private readonly pending: PendingConnections;
  private readonly wheel: HeartbeatWheel;
  private readonly idPrefix: string;
  private counter = 0;
  closing = false;
  private whenEmpty: (() => void) | undefined;

  constructor(
    readonly options: BrokerOptions,
    readonly emit: EmitEvent,
  ) {
    this.limits = { ...defaultLimits, ...options.limits };
    this.heartbeat = options.heartbeat ?? [10_000, 10_000];
    this.appPrefix = options.appPrefix ?? '/app';
    this.rejectionDestination = '/user' + (options.rejectionDestination ?? '/queue/errors');
    this.serverName = options.serverName ?? 'echopulse-stomp/0.1';
    this.inbound = [...(options.inbound ?? [])];
    this.outbound = [...(options.outbound ?? [])];
    this.authenticate = options.authenticate;
    this.relay = options.relay ?? new LocalRelay();
    this.relaying = !(this.relay instanceof LocalRelay);
    this.idPrefix = this.nodeId.slice(0, 8) + '-';
    this.pending = new PendingConnections(this.limits.maxPendingPerAddress);
    const periods = this.heartbeat.filter((h) => h > 0);
    const tick = Math.min(1000, Math.max(50, Math.floor(Math.min(...periods, 2000) / 2)));
    this.wheel = new HeartbeatWheel(
      tick,
      options.heartbeatGrace ?? 2,
      this.limits.connectTimeoutMs,
      {
        beat: (s) => this.beat(s),
        silent: (s) =>
          this.fail(
            s,
            new StompError(ErrorCode.HeartbeatTimeout, 'No heart-beat from the client.'),
          ),
        connectTimeout: (s) =>
          this.fail(s, new StompError(ErrorCode.NotConnected, 'No CONNECT frame in time.')),
      },
    );
    this.router = new MessageRouter({
      limits: this.limits,
      metrics: this.metrics,
      outbound: this.outbound,
      slowConsumer: (s) => this.slowConsumer(s),
    });
  }

  /** A message id unique to this broker process. */
  nextMessageId(): string {
    return this.idPrefix + ++this.counter;
  }

  // ——— connections and the serial frame queue ———

  accept(transport: Transport, info: ConnectionInfo = {}): Session {
    const session = new Session(
      randomUUID(),
      transport,
      new FrameParser(this.limits),
      info.remoteAddress,
      info.protocol ?? '',
    );
    session.request = info.request;
    this.sessions.set(session.id, session);
    this.metrics.sessions++;
    this.metrics.sessionsTotal++;
    transport.bind({
      data: (chunk) => this.onData(session, chunk),
      closed: () => this.cleanup(session),
    });
    if (this.closing) {
      this.fail(session, shuttingDown());
    } else if (this.admitPending(session)) {
      this.wheel.watchConnect(session);
    }
    return session;
  }

  /**
   * Counts a new session against its address's `maxPendingPerAddress` until it CONNECTs or ends;
   * past the limit it is refused at once: ERROR `too_many_pending`, then WebSocket close 1013
   * ("try again later", RFC 6455 section 7.4.1) with the reason. The `pendingLimit` event comes
   * once per burst: again only after none of the address's connections was left waiting.
   */
  private admitPending(session: Session): boolean {
    const verdict = this.pending.admit(session);
    if (verdict === 'admitted') return true;
    this.metrics.pendingRefusals++;
    if (verdict === 'first-refusal') {
      this.emit('pendingLimit', session.remoteAddress!, this.limits.maxPendingPerAddress);
    }
    this.fail(
      session,
      new StompError(
        ErrorCode.TooManyPending,
        'Too many connections from this address are waiting to CONNECT; try again later.',
      ),
    );
    return false;
  }

  private onData(session: Session, chunk: Buffer): void {
    if (!session.open) return;
    this.metrics.bytesIn += chunk.length;
    if (session.expectEvery) session.lastReceived = Date.now();
    session.parser.push(chunk);
    if (!session.busy) return this.process(session);
    // Inbound backpressure while an async hook holds the queue.
    const buffered = session.parser.buffered;
    if (buffered > 2 * this.limits.maxInboundBuffer) {
      this.fail(session, new StompError(ErrorCode.InboundOverflow, 'Too many frames in flight.'));
    } else if (buffered > this.limits.maxInboundBuffer && !session.paused) {
      session.paused = true;
      session.transport.pause();
    }
  }

  /** Handles buffered frames one after another; an async step holds the ones behind it. */
  private process(session: Session): void {
    while (!session.busy && session.open) {
      let frame = noFrames;
      try {
        frame = session.parser.next();
      } catch (error) {
        return this.fail(session, error);
      }
      if (frame === undefined) break;
      this.metrics.framesIn++;
      const pending = this.handleFrame(session, frame);
      if (pending) {
        session.busy = true;
        pending.then(
          () => this.resume(session),
          (error: unknown) => {
            this.frameError(session, frame!, error);
            this.resume(session);
          },
        );
      }
    }
    if (session.paused && session.parser.buffered <= this.limits.maxInboundBuffer / 2) {
      session.paused = false;
      session.transport.resume();
    }
  }

  private resume(session: Session): void {
    session.busy = false;
    this.process(session);
  }

  /** Runs one frame through the inbound chain and its handler; a promise if anything was async. */
  private handleFrame(session: Session, frame: Frame): Promise<void> | undefined {
    try {
      const result = this.dispatch(session, frame);
      if (result) return result;
    } catch (error) {
      this.frameError(session, frame, error);
    }
    return undefined;
  }

  private dispatch(session: Session, frame: Frame): void | Promise<void> {
    const command = frame.command;
    const handler = handlers[command];
    if (!handler) {
      throw new StompError(ErrorCode.UnknownCommand, `Unknown command "${command.slice(0, 32)}".`);
    }
    const connect = command === 'CONNECT' || command === 'STOMP';
    if (session.state === SessionState.Connecting && !connect) {
      throw new StompError(ErrorCode.NotConnected, `Expected CONNECT, got ${command}.`);
    }
    if (session.state === SessionState.Connected && connect) {
      throw new StompError(ErrorCode.AlreadyConnected, 'This session is already connected.');
    }
    if (!this.inbound.length) return handler(this, session, frame);
    return this.intercept(session, frame, 0);
  }

  private intercept(session: Session, frame: Frame, from: number): void | Promise<void> {
    for (let i = from; i < this.inbound.length; i++) {
      const verdict = this.inbound[i]!(frame, session);
      if (verdict === false) return;
      if (verdict instanceof Promise) {
        return verdict.then((v) => {
          if (v !== false && session.open) return this.intercept(session, frame, i + 1);
        });
      }
    }
    if (!session.open) return;
    return handlers[frame.command]!(this, session, frame);
  }

  private frameError(session: Session, frame: Frame, error: unknown): void {
    if (error instanceof FrameRejection) this.reject(session, frame, error);
    else this.fail(session, error, frame);
  }

  // ——— replies, errors and endings ———

  /** Sends a broker frame (CONNECTED, RECEIPT, ERROR), escaped for the session's version. */
  sendFrame(
    session: Session,
    command: string,
    headers: HeaderList,
    body?: string,
    onSent?: (error?: Error) => void,
  ): void {
    // CONNECTED is never escaped (spec 1.2 "Value Encoding"); 1.0 has no escaping.
    const version =
      command === 'CONNECTED' || session.version === '1.0' ? undefined : session.version;
    writeToSession(
      session,
      this.metrics,
      serializeFrame(command, headers, body, version),
      false,
      onSent,
    );
  }

  /** Spec 1.2 "Header receipt": a RECEIPT for any client frame that asked for one. */
  receipt(session: Session, frame: Frame, extra: HeaderList = []): void {
    const id = header(frame, 'receipt');
    if (id !== undefined && session.state === SessionState.Connected) {
      this.sendFrame(session, 'RECEIPT', [['receipt-id', id], ...extra]);
    }
  }

  /**
   * Spec 1.2 "ERROR": a `message` header, `receipt-id` when the offending frame had a receipt,
   * then the connection is closed. Only BrokerErrors reach the client as they are.
   */
  fail(session: Session, error: unknown, frame?: Frame): void {
    if (!session.open) return;
    const known = error instanceof BrokerError;
    if (!known) this.options.onError?.(error, session);
    const code = known ? error.code : ErrorCode.Internal;
    const message = known ? error.message : 'Internal server error.';
    const headers: [string, string][] = [
      ['message', message],
      ['content-type', 'text/plain'],
    ];
    // Spec 1.2 "Protocol Negotiation": the versions the server supports.
    if (code === ErrorCode.UnsupportedVersion)
      headers.push(['version', supportedVersions.join(',')]);
    const receipt = frame && header(frame, 'receipt');
    if (receipt !== undefined) headers.push(['receipt-id', receipt]);
    const details = error instanceof StompError && error.details ? '\n' + error.details : '';
    session.state = SessionState.Closing;
    session.closeReason = code;
    this.metrics.errors++;
    const closeCode = !known
      ? 1011
      : code === ErrorCode.ShuttingDown
        ? 1001
        : code === ErrorCode.SessionClosed
          ? 1008
          : code === ErrorCode.TooManyPending
            ? 1013
            : 1002;
    // a refusal before CONNECT says why in the close frame too (clients that never read ERROR)
    const reason = code === ErrorCode.TooManyPending ? message : undefined;
    this.sendFrame(session, 'ERROR', headers, `${code}: ${message}${details}`, () =>
      session.transport.close(closeCode, reason),
    );
  }

  /** A FrameRejection: the frame is dropped, the session told on its rejection destination. */
  reject(session: Session, frame: Frame, rejection: FrameRejection): void {
    this.metrics.rejections++;
    this.emit('rejected', session, { frame, error: rejection });
    const headers: [string, string][] = [
      ['code', rejection.code],
      ['message', rejection.message],
      ['rejected-command', frame.command],
    ];
    const receipt = header(frame, 'receipt');
    if (receipt !== undefined) headers.push(['receipt-id', receipt]);
    const destination = header(frame, 'destination');
    if (destination !== undefined) headers.push(['rejected-destination', destination]);
    headers.push(...rejection.extraHeaders);
    this.deliverToSession(session, this.rejectionDestination, headers, rejection.message);
  }

  private beat(session: Session): void {
    session.lastSent = Date.now();
    this.metrics.bytesOut++;
    session.transport.send('\n', false); // spec 1.2 "Heart-beating": an EOL
  }

  private slowConsumer(session: Session): void {
    if (!session.open) return;
    this.metrics.slowConsumerDisconnects++;
    session.state = SessionState.Closing;
    session.closeReason = ErrorCode.SlowConsumer;
    // An ERROR would queue behind megabytes the peer is not reading: drop the connection.
    session.transport.terminate();
  }

  /** Registers the principal of a connecting session, within the per-principal limit. */
  registerPrincipal(session: Session, principal: Principal): void {
    const others = this.byPrincipal.get(principal.name);
    if (others && others.size >= this.limits.maxSessionsPerPrincipal) {
      throw new StompError(
        ErrorCode.TooManySessions,
        `At most ${this.limits.maxSessionsPerPrincipal} sessions per user.`,
      );
    }
    session.principal = principal;
    if (others) others.add(session);
    else this.byPrincipal.set(principal.name, new Set([session]));
  }

  /** CONNECTED has been sent. */
  connected(session: Session): void {
    session.state = SessionState.Connected;
    this.pending.settle(session);
    session.request = undefined;
    session.everConnected = true;
    if (session.expectEvery) session.lastReceived = Date.now();
    this.wheel.connected(session);
    this.emit('connected', session);
  }

  sessionsOf(name: string): ReadonlySet<Session> | undefined {
    return this.byPrincipal.get(name);
  }

  removeSubscription(subscription: Subscription, reason: string): void {
    if (!subscription.session.deleteSubscription(subscription.id)) return;
    this.router.unsubscribe(subscription);
    this.emit('unsubscribed', subscription, reason);
  }

  private cleanup(session: Session): void {
    if (session.state === SessionState.Closed) return;
    const reason = session.closeReason ?? 'connection_lost';
    session.state = SessionState.Closed;
    this.pending.settle(session);
    this.wheel.delete(session);
    session.abortTransactions(); // spec 1.2 "BEGIN": open transactions are aborted
    for (const subscription of [...session.subscriptions.values()]) {
      this.removeSubscription(subscription, 'disconnected');
    }
    session.unacked = undefined;
    this.sessions.delete(session.id);
    this.metrics.sessions--;
    if (session.principal) {
      const set = this.byPrincipal.get(session.principal.name);
      if (set?.delete(session) && !set.size) this.byPrincipal.delete(session.principal.name);
    }
    if (session.everConnected) this.emit('disconnected', session, reason);
    if (this.whenEmpty && !this.sessions.size) this.whenEmpty();
  }

  // ——— routing ———

  /**
   * Routes a message to `/topic/…`, `/queue/…` or `/user/{name}/…`. Application destinations
   * are handled by the SEND handler before this.
   */
  route(destination: string, headers: HeaderList, body: string | Buffer): void {
    const kind = destinationKind(destination);
    if (kind === 'topic') return this.publishTopic(destination, headers, body);
    if (kind === 'queue') {
      return this.router.enqueue(
        destination,
        new MessageTemplate(destination, headers, body, this.nextMessageId()),
      );
    }
    if (kind === 'user') {
      const target = parseUserDestination(destination);
      if (!target) {
        throw new StompError(
          ErrorCode.UnknownDestination,
          `User destinations are /user/{name}/…; got ${destination}.`,
        );
      }
      return this.sendToUser(target.user, target.destination, headers, body);
    }
    throw new StompError(
      ErrorCode.UnknownDestination,
      `Destinations start with /topic/, /queue/, /user/ or ${this.appPrefix}/; got ${destination}.`,
    );
  }

  publishTopic(
    destination: string,
    headers: HeaderList,
    body: string | Buffer,
    localOnly = false,
  ): void {
    const template = new MessageTemplate(destination, headers, body, this.nextMessageId());
    this.router.publishTopic(template);
    if (this.relaying && !localOnly)
      this.relay.publish(toRelayMessage(this.nodeId, 'topic', template, destination));
  }

  /** To every session of `user` subscribed to `/user` + `destination`, here and elsewhere. */
  sendToUser(user: string, destination: string, headers: HeaderList, body: string | Buffer): void {
    const template = new MessageTemplate(
      '/user' + destination,
      headers,
      body,
      this.nextMessageId(),
    );
    this.router.deliverToUser(user, template);
    if (this.relaying) {
      this.relay.publish(toRelayMessage(this.nodeId, 'user', template, destination, user));
    }
  }

  /** To one session's subscriptions of `fullDestination` (e.g. `/user/queue/errors`). */
  deliverToSession(
    session: Session,
    fullDestination: string,
    headers: HeaderList,
    body: string | Buffer,
  ): number {
    let template: MessageTemplate | undefined;
    let count = 0;
    for (const subscription of session.subscriptions.values()) {
      if (subscription.destination !== fullDestination) continue;
      template ??= new MessageTemplate(fullDestination, headers, body, this.nextMessageId());
      if (this.router.deliver(subscription, template, false)) count++;
    }
    return count;
  }

  fromRelay(message: RelayMessage): void {
    if (message.origin === this.nodeId) return;
    const body = message.binary ? Buffer.from(message.body, 'base64') : message.body;
    if (message.kind === 'topic') {
      const template = new MessageTemplate(
        message.destination,
        message.headers,
        body,
        this.nextMessageId(),
      );
      this.router.publishTopic(template);
    } else if (message.user !== undefined) {
      const template = new MessageTemplate(
        '/user' + message.destination,
        message.headers,
        body,
        this.nextMessageId(),
      );
      this.router.deliverToUser(message.user, template);
    }
  }

  // ——— shutdown ———

  /** Ends every session with ERROR `shutting_down`; resolves once all transports are closed. */
  async shutdown(graceMs = 5000): Promise<void> {
    this.closing = true;
    for (const session of [...this.sessions.values()]) this.fail(session, shuttingDown());
    if (this.sessions.size) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.whenEmpty = resolve;
        // Peers that do not finish the closing handshake are cut off.
        timer = setTimeout(() => {
          for (const session of this.sessions.values()) session.transport.terminate();
        }, graceMs);
      });
      clearTimeout(timer);
    }
    this.wheel.stop();
  }
}

function shuttingDown(): StompError {
  return new StompError(ErrorCode.ShuttingDown, 'The server is shutting down.');
}
