import WebSocket from 'ws';

/** A frame as the test client reads it; parsed here independently of the broker's codec. */
export interface RawFrame {
  command: string;
  headers: Record<string, string>;
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
    frames.push({ command, headers, body: data.subarray(start, end), binary });
    i = end + 1;
  }
  return frames;
}

/** A raw STOMP-over-WebSocket client for conformance tests: it sends exactly the bytes it is given. */
export class RawClient {
  readonly frames: RawFrame[] = [];
  heartbeats = 0;
  private waiters: (() => void)[] = [];
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (data.length && data.every((b) => b === 0x0a || b === 0x0d)) this.heartbeats++;
      else this.frames.push(...parseFrames(data, isBinary));
      this.waiters.splice(0).forEach((w) => w());
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.waiters.splice(0).forEach((w) => w());
        resolve(code);
      }),
    );
  }

  static open(url: string, protocols: string[] = ['v12.stomp']): Promise<RawClient> {
    const ws = new WebSocket(url, protocols);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Opens and sends CONNECT; resolves once CONNECTED arrived. */
  static async connect(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const client = await RawClient.open(url);
    client.send(frame('CONNECT', { 'accept-version': '1.2', host: 'localhost', ...headers }));
    const connected = await client.next();
    if (connected.command !== 'CONNECTED')
      throw new Error(`expected CONNECTED, got ${connected.command}: ${connected.headers.message}`);
    return client;
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The next unread frame (waits up to `ms`). */
  async next(ms = 3000): Promise<RawFrame> {
    const deadline = Date.now() + ms;
    while (!this.frames.length) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('socket closed with no frame');
      if (Date.now() > deadline) throw new Error('no frame within ' + ms + ' ms');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.shift()!;
  }

  /** Resolves true if no frame arrives within `ms`. */
  async quiet(ms = 150): Promise<boolean> {
    await new Promise((r) => setTimeout(r, ms));
    return this.frames.length === 0;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Builds a frame's text; headers are written exactly as given. */
export function frame(command: string, headers: Record<string, string> = {}, body = ''): string {
  return `${command}\n${Object.entries(headers)
    .map(([k, v]) => `${k}:${v}`)
    .join('\n')}${Object.keys(headers).length ? '\n' : ''}\n${body}\0`;
}
