import { HEADERS, type RejectionHeaders } from '@echopulse/chat-contracts';
import { Client, type IFrame, type IStompSocket, type StompConfig } from '@stomp/stompjs';
import { Backoff } from '@echopulse/service-kit/backoff';
import { FrameRejection } from '../lib/transport';
import { ERRORS_QUEUE } from './destinations';
import { PendingReceipts } from './pending-receipts';

/** What a watcher is handed: a MESSAGE frame's headers and its text body. */
export interface InboundFrame {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The part of @stomp/stompjs's `Client` this connection drives. One client serves one attempt;
 * unit tests hand in an in-memory one (src/testing/fake-stomp-client.ts).
 */
export interface StompClient {
  readonly connected: boolean;
  activate(): void;
  deactivate(): Promise<void>;
  forceDisconnect(): void;
  subscribe(
    destination: string,
    onMessage: (frame: InboundFrame) => void,
    headers?: Record<string, string>,
  ): { unsubscribe(): void };
  publish(params: { destination: string; body: string; headers: Record<string, string> }): void;
  watchForReceipt(receiptId: string, onReceipt: (frame: IFrame) => void): void;
}

export interface StompConnectionOptions {
  /** ws://…/ws; ignored when `webSocketFactory` is given. */
  url: string;
  webSocketFactory?: () => IStompSocket;
  /** Builds the client of each attempt (default: @stomp/stompjs's `Client`). */
  createClient?: (config: StompConfig) => StompClient;
  /** CONNECT's headers, asked again on every attempt (the token may have been renewed since). */
  connectHeaders: () => Record<string, string>;
  backoff?: Backoff;
  /** How long a frame sent with a receipt waits for its RECEIPT before it counts as failed. */
  receiptTimeoutMs?: number;
  heartbeatMs?: number;
  /** How long the socket may take to reach CONNECTED before it is dropped and retried. */
  connectTimeoutMs?: number;
  debug?: (line: string) => void;
}

/** How a watched destination is handled on every (re)subscription. */
export interface Watch {
  onMessage(frame: InboundFrame): void;
  /**
   * Where a resumable topic left off, sent as `after-seq` on every SUBSCRIBE so the server
   * replays what this client missed while away; `undefined` when there is nothing to resume from.
   */
  resumeAfter?: () => number | undefined;
}

/** What the connection reports; `on(event, listener)` subscribes to one of them. */
export interface StompConnectionEvents {
  /** An attempt starts. */
  connecting: [];
  /** CONNECTED: every watched destination has been subscribed again. */
  connected: [];
  /** The socket closed; the next attempt starts in `delayMs`. */
  retrying: [delayMs: number];
  /** No attempt is made until `goOnline()`. */
  offline: [];
  stopped: [];
  /** The broker sent ERROR, which ends the session; `code` is the first word of its body. */
  error: [code: string, message: string];
  /** A watched destination was refused for good, or ended by the server; it is no longer watched. */
  'access-lost': [destination: string, reason: string];
}

type Listener<E extends keyof StompConnectionEvents> = (...args: StompConnectionEvents[E]) => void;
type AnyListener = (...args: unknown[]) => void;

/**
 * Waits before resubscribing after a `not_found`/`forbidden` refusal: a channel just created or a
 * guild just joined reaches chat-service's projection through Kafka a moment after server-service
 * answered, so the first refusal may be stale. After the last one the refusal stands.
 */
export const resubscribeDelaysMs = [300, 1000, 2000, 4000];
const staleRefusals = new Set(['not_found', 'forbidden']);

/**
 * One STOMP session that stays up: it reconnects with backoff (at once when the network comes
 * back), subscribes every watched destination again after each reconnect (with `after-seq` where
 * the watch can resume), retries refused subscriptions that may be stale, and turns RECEIPTs and
 * refusals on the errors queue into settled promises. It knows nothing of the app's stores:
 * chat-session.ts wires its events into them.
 */
export class StompConnection {
  private client: StompClient | null = null;
  private readonly watches = new Map<string, Watch>();
  private readonly subscriptions = new Map<string, { unsubscribe(): void }>();
  private readonly receipts = new PendingReceipts<IFrame>();
  private receiptCounter = 0;
  private readonly refusals = new Map<string, number>();
  private readonly resubscribeTimers = new Set<ReturnType<typeof setTimeout>>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  private offline = false;
  private readonly backoff: Backoff;
  private readonly listeners = new Map<keyof StompConnectionEvents, Set<AnyListener>>();

  constructor(private readonly options: StompConnectionOptions) {
    this.backoff = options.backoff ?? new Backoff({ initialMs: 500, maxMs: 15_000 });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** True between `start()` and `stop()`, connected or not. */
  get started(): boolean {
    return this.wanted;
  }

  on<E extends keyof StompConnectionEvents>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set<AnyListener>();
    this.listeners.set(event, set);
    set.add(listener as AnyListener);
    return () => set.delete(listener as AnyListener);
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.connect();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    for (const timer of this.resubscribeTimers) clearTimeout(timer);
    this.resubscribeTimers.clear();
    const client = this.client;
    this.client = null;
    this.subscriptions.clear();
    this.receipts.refuseAll('disconnected');
    this.emit('stopped');
    await client?.deactivate();
  }

  /** The browser lost its network: drop the socket now rather than wait for heart-beats. */
  goOffline(): void {
    this.offline = true;
    this.clearRetry();
    this.emit('offline');
    this.client?.forceDisconnect();
  }

  /** The network is back: reconnect at once, from a fresh backoff. */
  goOnline(): void {
    this.offline = false;
    this.backoff.reset();
    if (this.wanted && !this.connected) {
      this.clearRetry();
      this.connect();
    }
  }

  /** Subscribes to `destination` now if connected, and again after every reconnect. */
  watch(destination: string, watch: Watch): void {
    if (this.watches.has(destination)) return;
    this.watches.set(destination, watch);
    this.subscribe(destination);
  }

  unwatch(destination: string): void {
    this.watches.delete(destination);
    const subscription = this.subscriptions.get(destination);
    this.subscriptions.delete(destination);
    if (subscription && this.connected) subscription.unsubscribe();
  }

  /**
   * The server ended this subscription (it says so on the notices queue): it is forgotten without
   * an UNSUBSCRIBE, which the broker would refuse for a subscription it no longer has.
   */
  ended(destination: string, reason: string): void {
    this.forget(destination);
    this.emit('access-lost', destination, reason);
  }

  /** Sends a frame if connected; false when it could not be sent. */
  publish(destination: string, body: string, contentType = 'application/json'): boolean {
    const client = this.client;
    if (!client?.connected) return false;
    client.publish({ destination, body, headers: { 'content-type': contentType } });
    return true;
  }

  /**
   * Sends a frame with a `receipt` header: resolves with the RECEIPT, rejects with a
   * `FrameRejection` when it is refused (`disconnected`, `timeout`, or the refusal's code).
   */
  request(destination: string, body: string): Promise<IFrame> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new FrameRejection('disconnected', ''));
    const receipt = `r-${++this.receiptCounter}-${Date.now().toString(36)}`;
    const answer = this.receipts.wait(receipt, this.options.receiptTimeoutMs ?? 15_000);
    client.watchForReceipt(receipt, (frame) => this.receipts.settle(receipt, frame));
    client.publish({ destination, body, headers: { receipt, 'content-type': 'application/json' } });
    return answer;
  }

  // connection

  private connect(): void {
    if (!this.wanted || this.offline) return;
    this.emit('connecting');
    const heartbeat = this.options.heartbeatMs ?? 10_000;
    const client = (this.options.createClient ?? ((config) => new Client(config)))({
      brokerURL: this.options.webSocketFactory ? undefined : this.options.url,
      webSocketFactory: this.options.webSocketFactory,
      connectHeaders: this.options.connectHeaders(),
      // reconnection is ours (backoff with jitter, online events): one client per attempt
      reconnectDelay: 0,
      // our own CONNECT deadline (below): stompjs's outlives a socket closed before CONNECTED
      connectionTimeout: 0,
      heartbeatIncoming: heartbeat,
      heartbeatOutgoing: heartbeat,
      debug: this.options.debug ?? (() => undefined),
      onConnect: () => {
        clearTimeout(deadline);
        if (this.client !== client) return;
        this.backoff.reset();
        this.subscriptions.clear();
        client.subscribe(ERRORS_QUEUE, (frame) => this.onRefusal(frame));
        for (const destination of this.watches.keys()) this.subscribe(destination);
        this.emit('connected');
      },
      onStompError: (frame) => {
        // ERROR ends the session; its body starts with the code (chat-service "STOMP contract")
        const code = (frame.body || frame.headers.message || '').split(/[\s:]/)[0] ?? '';
        this.emit('error', code, frame.headers.message ?? code);
      },
      onWebSocketClose: () => {
        clearTimeout(deadline);
        if (this.client !== client) return;
        this.client = null;
        this.subscriptions.clear();
        this.receipts.refuseAll('disconnected');
        void client.deactivate();
        this.scheduleReconnect();
      },
    });
    const deadline = setTimeout(() => {
      if (!client.connected) client.forceDisconnect();
    }, this.options.connectTimeoutMs ?? 10_000);
    this.client = client;
    client.activate();
  }

  private scheduleReconnect(): void {
    if (!this.wanted) return;
    if (this.offline) {
      this.emit('offline');
      return;
    }
    const delay = this.backoff.next();
    this.emit('retrying', delay);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  // subscriptions

  private subscribe(destination: string): void {
    const client = this.client;
    const watch = this.watches.get(destination);
    if (!client?.connected || !watch || this.subscriptions.has(destination)) return;
    const resumeAfter = watch.resumeAfter?.();
    const headers: Record<string, string> =
      resumeAfter === undefined ? {} : { [HEADERS.afterSeq]: String(resumeAfter) };
    const onMessage = (frame: InboundFrame) => {
      this.refusals.delete(destination); // it works: a later refusal starts a fresh count
      watch.onMessage(frame);
    };
    this.subscriptions.set(destination, client.subscribe(destination, onMessage, headers));
  }

  private forget(destination: string): void {
    this.subscriptions.delete(destination);
    this.watches.delete(destination);
  }

  /** A MESSAGE on the errors queue: a refused SEND (by `receipt-id`) or SUBSCRIBE. */
  private onRefusal(frame: InboundFrame): void {
    // chat-contracts' names; a broker-level refusal may lack any of them
    const headers: Partial<RejectionHeaders> = frame.headers;
    const code = headers.code ?? 'refused';
    const reason = headers.message ?? frame.body;
    const retryAfter = Number(headers['retry-after']) || undefined;
    const receiptId = headers['receipt-id'];
    if (receiptId && this.receipts.refuse(receiptId, new FrameRejection(code, reason, retryAfter)))
      return;
    const destination = headers['rejected-destination'] ?? '';
    if (headers['rejected-command'] === 'SUBSCRIBE' && destination)
      this.onSubscribeRefused(destination, code);
  }

  private onSubscribeRefused(destination: string, code: string): void {
    this.subscriptions.delete(destination);
    const attempt = this.refusals.get(destination) ?? 0;
    const delay = resubscribeDelaysMs[attempt];
    if (staleRefusals.has(code) && delay !== undefined) {
      this.refusals.set(destination, attempt + 1);
      const timer = setTimeout(() => {
        this.resubscribeTimers.delete(timer);
        this.subscribe(destination);
      }, delay);
      this.resubscribeTimers.add(timer);
      return;
    }
    this.refusals.delete(destination);
    this.ended(destination, code);
  }

  private emit<E extends keyof StompConnectionEvents>(
    event: E,
    ...args: StompConnectionEvents[E]
  ): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}
