import type { IFrame, StompConfig } from '@stomp/stompjs';
import type { InboundFrame, StompClient } from '../realtime/stomp-connection';

function frame(command: string, headers: Record<string, string> = {}, body = ''): IFrame {
  return {
    command,
    headers,
    body,
    isBinaryBody: false,
    binaryBody: new TextEncoder().encode(body),
  };
}

export interface FakeSubscription {
  destination: string;
  headers: Record<string, string>;
  onMessage: (frame: InboundFrame) => void;
  unsubscribed: boolean;
}

/**
 * An in-memory stand-in for @stomp/stompjs's Client: the test plays the broker's side
 * (`acceptConnect`, `deliver`, `receipt`, `refuse`, `dropSocket`) and reads what the client sent.
 */
export class FakeStompClient implements StompClient {
  connected = false;
  activated = false;
  deactivated = false;
  readonly subscriptions: FakeSubscription[] = [];
  readonly published: { destination: string; body: string; headers: Record<string, string> }[] = [];
  private readonly receiptWatchers = new Map<string, (frame: IFrame) => void>();

  constructor(readonly config: StompConfig) {}

  activate(): void {
    this.activated = true;
  }

  async deactivate(): Promise<void> {
    this.connected = false;
    this.deactivated = true;
  }

  forceDisconnect(): void {
    this.dropSocket();
  }

  subscribe(
    destination: string,
    onMessage: (frame: InboundFrame) => void,
    headers: Record<string, string> = {},
  ): { unsubscribe(): void } {
    const subscription: FakeSubscription = {
      destination,
      headers,
      onMessage,
      unsubscribed: false,
    };
    this.subscriptions.push(subscription);
    return { unsubscribe: () => void (subscription.unsubscribed = true) };
  }

  publish(params: { destination: string; body: string; headers: Record<string, string> }): void {
    this.published.push(params);
  }

  watchForReceipt(receiptId: string, onReceipt: (frame: IFrame) => void): void {
    this.receiptWatchers.set(receiptId, onReceipt);
  }

  // the broker's side

  acceptConnect(): void {
    this.connected = true;
    this.config.onConnect?.(frame('CONNECTED', { version: '1.2' }));
  }

  sendError(body: string, message?: string): void {
    this.config.onStompError?.(frame('ERROR', message ? { message } : {}, body));
  }

  dropSocket(): void {
    if (!this.activated || this.deactivated) return;
    this.connected = false;
    this.deactivated = true;
    this.config.onWebSocketClose?.({ code: 1006 });
  }

  /** Destinations subscribed and not unsubscribed, in order. */
  live(): string[] {
    return this.subscriptions.filter((s) => !s.unsubscribed).map((s) => s.destination);
  }

  subscription(destination: string): FakeSubscription | undefined {
    return this.subscriptions.find((s) => s.destination === destination && !s.unsubscribed);
  }

  deliver(destination: string, headers: Record<string, string>, body = ''): void {
    for (const s of this.subscriptions)
      if (s.destination === destination && !s.unsubscribed) s.onMessage({ headers, body });
  }

  /** The RECEIPT for the last frame sent to `destination` with a receipt header. */
  receipt(destination: string, headers: Record<string, string> = {}): void {
    const id = this.receiptIdOf(destination);
    this.receiptWatchers.get(id)?.(frame('RECEIPT', { 'receipt-id': id, ...headers }));
  }

  /** chat-service's refusal of the last frame sent to `destination`, on the errors queue. */
  refuse(destination: string, headers: Record<string, string>, body = ''): void {
    this.deliver(
      '/user/queue/errors',
      { 'receipt-id': this.receiptIdOf(destination), ...headers },
      body,
    );
  }

  private receiptIdOf(destination: string): string {
    const sent = this.published.filter((p) => p.destination === destination && p.headers.receipt);
    const id = sent.at(-1)?.headers.receipt;
    if (!id) throw new Error(`nothing was sent to ${destination} with a receipt`);
    return id;
  }
}

/** Hands a new FakeStompClient to each connection attempt and keeps them, latest last. */
export class FakeStompClients {
  readonly all: FakeStompClient[] = [];

  readonly create = (config: StompConfig): FakeStompClient => {
    const client = new FakeStompClient(config);
    this.all.push(client);
    return client;
  };

  get latest(): FakeStompClient {
    const client = this.all.at(-1);
    if (!client) throw new Error('no connection attempt was made');
    return client;
  }
}
