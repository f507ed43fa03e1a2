// One simulated user: a @stomp/stompjs client over ws, as a browser would use it.
import { Client, type IMessage } from '@stomp/stompjs';
import WebSocket from 'ws';

export interface Delivery {
  channelId: string;
  seq: number;
  content: string;
}

export class ChatUser {
  readonly client: Client;
  private readonly receipts = new Map<string, (ok: boolean) => void>();
  private receiptCounter = 0;
  /** Rejections of this user's frames (rate limits, refusals), by code. */
  readonly rejections = new Map<string, number>();
  onRejection?: (headers: Record<string, string>) => void;

  constructor(
    readonly username: string,
    url: string,
    token: string,
  ) {
    this.client = new Client({
      webSocketFactory: () => new WebSocket(url, ['v12.stomp']),
      connectHeaders: { Authorization: `Bearer ${token}` },
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      debug: () => undefined,
    });
  }

  connect(timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.username}: no CONNECTED in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.client.onConnect = () => {
        clearTimeout(timer);
        this.client.subscribe('/user/queue/errors', (m) => {
          const code = m.headers.code ?? 'unknown';
          this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
          const receipt = m.headers['receipt-id'];
          if (receipt) this.settle(receipt, false);
          this.onRejection?.(m.headers);
        });
        resolve();
      };
      this.client.onStompError = (frame) => {
        clearTimeout(timer);
        reject(new Error(`${this.username}: ERROR ${frame.headers.message}`));
      };
      this.client.onWebSocketError = () => undefined;
      this.client.onUnhandledReceipt = (frame) => this.settle(frame.headers['receipt-id']!, true);
      this.client.activate();
    });
  }

  private settle(receipt: string, ok: boolean): void {
    const done = this.receipts.get(receipt);
    if (!done) return;
    this.receipts.delete(receipt);
    done(ok);
  }

  /** Sends a frame with a receipt; resolves true on RECEIPT, false on a rejection. */
  request(
    destination: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<boolean> {
    const receipt = `r${++this.receiptCounter}`;
    return new Promise((resolve) => {
      this.receipts.set(receipt, resolve);
      this.client.publish({ destination, body, headers: { ...headers, receipt } });
    });
  }

  /** Subscribes with a receipt; resolves false if the server refused the subscription. */
  subscribe(
    destination: string,
    onMessage: (message: IMessage) => void,
    headers: Record<string, string> = {},
  ): Promise<boolean> {
    const receipt = `s${++this.receiptCounter}`;
    return new Promise((resolve) => {
      this.receipts.set(receipt, resolve);
      this.client.subscribe(destination, onMessage, { ...headers, receipt });
    });
  }

  async close(): Promise<void> {
    await this.client.deactivate();
  }
}
