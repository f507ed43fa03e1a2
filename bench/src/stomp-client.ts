// The load client's STOMP session: raw frames over `ws`, just what the benchmark needs, written to
// cost the client as little as possible (MESSAGE bodies are handed over as buffer offsets).
import WebSocket from 'ws';

/** Login headers for CONNECT (RabbitMQ wants guest/guest; the others ignore them). */
export type Credentials = Record<string, string>;

const LF = 10;
const CR = 13;
const NUL = 0;
const M = 77; // MESSAGE
const R = 82; // RECEIPT
const E = 69; // ERROR

/** Called for each MESSAGE with the WebSocket payload and where the frame's body lies in it. */
export type MessageHandler = (data: Buffer, bodyStart: number, bodyEnd: number) => void;

export class StompClient {
  /** MESSAGE frames go here; set it before subscribing. */
  onMessage: MessageHandler = () => undefined;
  /** ERROR frames, frames the client could not split, and unexpected closes. */
  readonly problems: string[] = [];
  private readonly receipts = new Map<string, () => void>();
  private receiptSeq = 0;
  private closing = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.frames(data));
    ws.on('close', (code) => {
      if (!this.closing) this.problems.push(`socket closed by the server (${code})`);
    });
    ws.on('error', (error) => this.problems.push(`socket error: ${error.message}`));
  }

  /** Opens a WebSocket, sends CONNECT (STOMP 1.2, no heart-beats) and waits for CONNECTED. */
  static open(url: string, credentials: Credentials, timeoutMs = 20_000): Promise<StompClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ['v12.stomp'], { perMessageDeflate: false });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no CONNECTED within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      ws.once('error', fail);
      ws.once('close', (code) => fail(new Error(`closed before CONNECTED (${code})`)));
      ws.once('open', () => {
        let login = '';
        for (const [k, v] of Object.entries(credentials)) login += `${k}:${v}\n`;
        ws.send(`CONNECT\naccept-version:1.2\nhost:/\nheart-beat:0,0\n${login}\n\0`);
      });
      ws.once('message', (data: Buffer) => {
        clearTimeout(timer);
        ws.removeListener('error', fail);
        ws.removeAllListeners('close');
        const text = data.toString('latin1', 0, 300);
        if (text.startsWith('CONNECTED')) resolve(new StompClient(ws));
        else {
          ws.terminate();
          reject(new Error(`CONNECT refused: ${text.replace(/\0/g, '')}`));
        }
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a frame (text, ending in NUL) with a `receipt` header; resolves on its RECEIPT. */
  request(frame: string, timeoutMs = 30_000): Promise<void> {
    const id = String(++this.receiptSeq);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.receipts.delete(id);
        reject(new Error(`no RECEIPT ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.receipts.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.send(frame.replace('\n', `\nreceipt:${id}\n`));
    });
  }

  subscribe(destination: string, id = '0'): Promise<void> {
    return this.request(`SUBSCRIBE\nid:${id}\ndestination:${destination}\nack:auto\n\n\0`);
  }

  send(destination: string, body: string): void {
    this.ws.send(`SEND\ndestination:${destination}\ncontent-type:text/plain\n\n${body}\0`);
  }

  sendWithReceipt(destination: string, body: string): Promise<void> {
    return this.request(`SEND\ndestination:${destination}\ncontent-type:text/plain\n\n${body}\0`);
  }

  /** Closes without ceremony (the benchmark opens and drops many sessions). */
  close(): void {
    this.closing = true;
    this.ws.terminate();
  }

  /** Splits a WebSocket payload into frames: a target may put several frames in one message. */
  private frames(data: Buffer): void {
    const length = data.length;
    let at = 0;
    while (at < length) {
      const c = data[at]!;
      if (c === LF || c === CR) {
        at++; // heart-beat or padding between frames
        continue;
      }
      let headEnd = data.indexOf('\n\n', at);
      let bodyStart = headEnd + 2;
      const crlf = data.indexOf('\r\n\r\n', at);
      if (crlf >= 0 && (headEnd < 0 || crlf < headEnd)) {
        headEnd = crlf;
        bodyStart = crlf + 4;
      }
      if (headEnd < 0) {
        this.problems.push(`frame without a blank line: ${data.toString('latin1', at, at + 80)}`);
        return;
      }
      // The load's bodies hold no NUL, so the first NUL ends the frame (content-length agrees).
      const end = data.indexOf(NUL, bodyStart);
      if (end < 0) {
        this.problems.push(`frame without NUL: ${data.toString('latin1', at, at + 80)}`);
        return;
      }
      if (c === M) this.onMessage(data, bodyStart, end);
      else if (c === R) {
        const head = data.toString('latin1', at, headEnd);
        const id = /\nreceipt-id:([^\r\n]*)/.exec(head)?.[1];
        const done = id === undefined ? undefined : this.receipts.get(id);
        if (done) {
          this.receipts.delete(id!);
          done();
        }
      } else if (c === E) {
        this.problems.push(`ERROR: ${data.toString('utf8', at, Math.min(end, at + 300))}`);
      }
      at = end + 1;
    }
  }
}

/** Opens `count` sessions, `concurrency` at a time; stops at the first failure and reports it. */
export async function openMany(
  url: string,
  credentials: Credentials,
  count: number,
  concurrency = 250,
): Promise<{ clients: StompClient[]; error?: Error }> {
  const clients: StompClient[] = [];
  let next = 0;
  let error: Error | undefined;
  const lane = async () => {
    while (next < count && !error) {
      next++;
      try {
        clients.push(await StompClient.open(url, credentials));
      } catch (e) {
        error ??= e as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return error ? { clients, error } : { clients };
}
