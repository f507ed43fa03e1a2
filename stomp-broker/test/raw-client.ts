import WebSocket from 'ws';
import { memoryPair, type Broker } from '../src';

/** A frame as the test client reads it; parsed here independently of the broker's codec. */
export interface RawFrame {
  command: string;
  headers: Record<string, string>;
  /** Every header line, in order, raw (escaped as sent). */
  lines: string[];
  body: Buffer;
  /** Whether it came as a binary WebSocket message. */
  binary: boolean;
}

function parseFrames(data: Buffer, binary: boolean): RawFrame[] {
  const frames: RawFrame[] = [];
  let i = 0;
  while (i < data.length) {
    while (data[i] === 0x0a || data[i] === 0x0d) i++; // heart-beats
    if (i >= data.length) break;
    const headEnd = data.indexOf('\n\n', i);
    const lines = data.toString('utf8', i, headEnd).split('\n');
    const command = lines.shift()!;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon);
      if (!(name in headers)) headers[name] = line.slice(colon + 1);
    }
    const start = headEnd + 2;
    const end =
      headers['content-length'] !== undefined
        ? start + Number(headers['content-length'])
        : data.indexOf(0, start);
    frames.push({ command, headers, lines, body: data.subarray(start, end), binary });
    i = end + 1;
  }
  return frames;
}

/** The two ends a RawClient can drive: a real WebSocket or an in-memory pair. */
interface Wire {
  send(data: string | Buffer): void;
  close(): void;
  readonly isOpen: boolean;
  readonly protocol: string;
}

/**
 * A raw STOMP client for conformance tests: it sends exactly the bytes it is given and reads
 * frames with its own small parser.
 */
export class RawClient {
  readonly frames: RawFrame[] = [];
  heartbeats = 0;
  /** Raw WebSocket messages as received (text or binary), for tests on message boundaries. */
  readonly messages: { data: Buffer; binary: boolean }[] = [];
  readonly closed: Promise<number>;
  private waiters: (() => void)[] = [];
  private closeCode: number | undefined;
  private resolveClosed!: (code: number) => void;
  private syncs = 0;

  private constructor(
    private readonly wire: Wire,
    readonly ws?: WebSocket,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  private receive(data: Buffer, binary: boolean): void {
    this.messages.push({ data, binary });
    if (data.length && data.every((b) => b === 0x0a || b === 0x0d)) this.heartbeats++;
    else this.frames.push(...parseFrames(data, binary));
    this.wake();
  }

  private ended(code: number): void {
    this.closeCode = code;
    this.resolveClosed(code);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Opens a WebSocket (no CONNECT yet). */
  static open(url: string, protocols: string[] = ['v12.stomp']): Promise<RawClient> {
    const ws = new WebSocket(url, protocols);
    const client = new RawClient(
      {
        send: (d) => ws.send(d),
        close: () => ws.terminate(),
        get isOpen() {
          return ws.readyState === WebSocket.OPEN;
        },
        get protocol() {
          return ws.protocol;
        },
      },
      ws,
    );
    ws.on('message', (data: Buffer, isBinary: boolean) => client.receive(data, isBinary));
    ws.on('close', (code) => client.ended(code));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Opens a WebSocket and CONNECTs (1.2). */
  static async connectTo(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const client = await RawClient.open(url);
    await client.connect(headers);
    return client;
  }

  /** Connects to `broker` through an in-memory transport pair (no CONNECT yet). */
  static memory(broker: Broker): { client: RawClient; pause(): void; resume(): void } {
    const { transport, client: peer } = memoryPair();
    const client = new RawClient({
      send: (d) => peer.send(d),
      close: () => peer.close(),
      get isOpen() {
        return peer.closeCode === undefined;
      },
      protocol: '',
    });
    peer.onMessage = (m) => client.receive(m.data, m.binary);
    void peer.closed.then((code) => client.ended(code));
    broker.accept(transport, { remoteAddress: 'memory' });
    return { client, pause: () => peer.pause(), resume: () => peer.resume() };
  }

  /** Sends CONNECT (1.2 by default) and resolves once CONNECTED arrived. */
  async connect(headers: Record<string, string> = {}): Promise<RawFrame> {
    this.send(frame('CONNECT', { 'accept-version': '1.2', host: 'localhost', ...headers }));
    const connected = await this.next();
    if (connected.command !== 'CONNECTED') {
      throw new Error(`expected CONNECTED, got ${connected.command}: ${connected.headers.message}`);
    }
    return connected;
  }

  get isOpen(): boolean {
    return this.wire.isOpen && this.closeCode === undefined;
  }

  get protocol(): string {
    return this.wire.protocol;
  }

  send(data: string | Buffer): void {
    this.wire.send(data);
  }

  /** The next unread frame (waits up to `ms`). */
  async next(ms = 3000): Promise<RawFrame> {
    const deadline = Date.now() + ms;
    while (!this.frames.length) {
      if (this.closeCode !== undefined) throw new Error(`closed (${this.closeCode}) with no frame`);
      if (Date.now() > deadline) throw new Error(`no frame within ${ms} ms`);
      await this.until(deadline);
    }
    return this.frames.shift()!;
  }

  /** Resolves once `count` heart-beats have arrived. */
  async heartbeatsReach(count: number, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.heartbeats < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.heartbeats} heart-beats in ${ms} ms`);
      await this.until(deadline);
    }
  }

  /**
   * A barrier: sends a frame with a receipt and returns every frame that arrived before its
   * RECEIPT. The broker handles a session's frames in order and delivers synchronously, so
   * whatever was due before the barrier has arrived by then — no sleeping needed.
   */
  async sync(): Promise<RawFrame[]> {
    const id = `sync-${++this.syncs}`;
    this.send(frame('UNSUBSCRIBE', { id: '__sync__', receipt: id }));
    const before: RawFrame[] = [];
    for (;;) {
      const f = await this.next();
      if (f.command === 'RECEIPT' && f.headers['receipt-id'] === id) return before;
      before.push(f);
    }
  }

  close(): void {
    this.wire.close();
  }

  private until(deadline: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Builds a frame's text; headers are written exactly as given (no escaping). */
export function frame(command: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}:${v}\n`);
  return `${command}\n${lines.join('')}\n${body}\0`;
}
