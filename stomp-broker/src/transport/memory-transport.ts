import type { Transport, TransportSink } from './transport';

/** One message as the client end of a memory pair received it. */
export interface MemoryMessage {
  data: Buffer;
  binary: boolean;
}

/**
 * An in-memory connection for tests: {@link MemoryTransport} is the broker's end and
 * {@link MemoryClient} the peer's. Messages cross on the microtask queue, in order. Pausing the
 * client holds messages "in the network", where they count in the broker end's `bufferedAmount`,
 * so slow consumers can be tested without timing.
 */
export function memoryPair(): { transport: MemoryTransport; client: MemoryClient } {
  const transport = new MemoryTransport();
  const client = new MemoryClient(transport);
  transport.peer = client;
  return { transport, client };
}

/** The broker's end of a {@link memoryPair}. */
export class MemoryTransport implements Transport {
  peer!: MemoryClient;
  sink: TransportSink | undefined;
  bufferedAmount = 0;
  paused = false;
  closeCode: number | undefined;
  private ended = false;

  bind(sink: TransportSink): void {
    this.sink = sink;
  }

  send(data: string | Buffer, binary: boolean, onSent?: (error?: Error) => void): void {
    if (this.ended || this.closeCode !== undefined) return onSent?.(new Error('closed'));
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.bufferedAmount += bytes.length;
    this.peer.enqueue({ data: bytes, binary }, onSent);
  }

  close(code: number): void {
    if (this.closeCode !== undefined || this.ended) return;
    this.closeCode = code;
    this.peer.enqueueClose(code);
  }

  terminate(): void {
    this.end(1006);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** @internal Both ends are closed. */
  end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.peer.finish(code);
    const sink = this.sink;
    queueMicrotask(() => sink?.closed());
  }
}

/** The peer's end of a {@link memoryPair}. */
export class MemoryClient {
  /** Messages received and not yet taken (when no `onMessage` listener is set). */
  readonly received: MemoryMessage[] = [];
  /** Receives each message instead of `received`. */
  onMessage: ((message: MemoryMessage) => void) | undefined;
  closeCode: number | undefined;
  readonly closed: Promise<number>;
  private resolveClosed!: (code: number) => void;
  private held: { message?: MemoryMessage; close?: number; onSent?: (e?: Error) => void }[] = [];
  private paused = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly transport: MemoryTransport) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** Sends octets to the broker, as one message. */
  send(data: string | Buffer): void {
    if (this.closeCode !== undefined) return;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    queueMicrotask(() => {
      if (this.closeCode === undefined) this.transport.sink?.data(bytes);
    });
  }

  /** Stops reading: what the broker sends stays buffered on its side. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held.splice(0);
    for (const item of held) this.take(item);
  }

  /** Drops the connection from the client's side. */
  close(): void {
    this.transport.end(1005);
  }

  /** Resolves once something arrived (or the connection ended). */
  async wait(): Promise<void> {
    if (this.received.length || this.closeCode !== undefined) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** @internal */
  enqueue(message: MemoryMessage, onSent?: (e?: Error) => void): void {
    const item = { message, onSent };
    if (this.paused) this.held.push(item);
    else queueMicrotask(() => (this.paused ? this.held.push(item) : this.take(item)));
  }

  /** @internal */
  enqueueClose(code: number): void {
    const item = { close: code };
    if (this.paused) this.held.push(item);
    else queueMicrotask(() => (this.paused ? this.held.push(item) : this.take(item)));
  }

  /** @internal */
  finish(code: number): void {
    if (this.closeCode !== undefined) return;
    this.closeCode = code;
    this.held = [];
    this.resolveClosed(code);
    this.wake();
  }

  private take(item: { message?: MemoryMessage; close?: number; onSent?: (e?: Error) => void }) {
    if (this.closeCode !== undefined) return;
    if (item.message) {
      this.transport.bufferedAmount -= item.message.data.length;
      if (this.onMessage) this.onMessage(item.message);
      else this.received.push(item.message);
      item.onSent?.();
      this.wake();
    } else if (item.close !== undefined) {
      this.transport.end(item.close);
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
