import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** One STOMP session of the load client, speaking raw frames. */
export class LoadSession {
  private receipts = new Map<string, () => void>();
  private receiptSeq = 0;
  onMessage: ((body: string) => void) | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.charCodeAt(0) === 77 /* M */) {
        const at = text.indexOf('\n\n') + 2;
        this.onMessage?.(text.slice(at, text.length - 1));
      } else if (text.startsWith('RECEIPT')) {
        const id = /receipt-id:([^\n]*)/.exec(text)![1]!;
        this.receipts.get(id)?.();
        this.receipts.delete(id);
      }
    });
  }

  static open(url: string, credentials: Record<string, string>): Promise<LoadSession> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ['v12.stomp'], { perMessageDeflate: false });
      ws.once('error', reject);
      ws.once('open', () => {
        const login = Object.entries(credentials)
          .map(([k, v]) => `${k}:${v}\n`)
          .join('');
        ws.send(`CONNECT\naccept-version:1.2\nhost:/\nheart-beat:0,0\n${login}\n\0`);
      });
      ws.once('message', (data: Buffer) => {
        if (data.toString().startsWith('CONNECTED')) resolve(new LoadSession(ws));
        else reject(new Error(`CONNECT refused: ${data.toString().slice(0, 200)}`));
      });
    });
  }

  /** Sends a frame with a receipt and resolves when the RECEIPT arrives. */
  request(frame: string): Promise<void> {
    const id = String(++this.receiptSeq);
    const done = new Promise<void>((resolve) => this.receipts.set(id, resolve));
    this.ws.send(frame.replace('\n\n', `\nreceipt:${id}\n\n`));
    return done;
  }

  subscribe(destination: string): Promise<void> {
    return this.request(`SUBSCRIBE\nid:0\ndestination:${destination}\nack:auto\n\n\0`);
  }

  send(destination: string, body: string): void {
    this.ws.send(`SEND\ndestination:${destination}\ncontent-type:text/plain\n\n${body}\0`);
  }

  sendWithReceipt(destination: string, body: string): Promise<void> {
    return this.request(`SEND\ndestination:${destination}\ncontent-type:text/plain\n\n${body}\0`);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Opens `count` sessions, `concurrency` at a time. */
export async function openMany(
  url: string,
  credentials: Record<string, string>,
  count: number,
  concurrency = 200,
): Promise<LoadSession[]> {
  const sessions: LoadSession[] = [];
  for (let i = 0; i < count; i += concurrency) {
    const batch = Math.min(concurrency, count - i);
    sessions.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => LoadSession.open(url, credentials)),
      )),
    );
  }
  return sessions;
}

export interface Topology {
  publishers: { session: LoadSession; destination: string }[];
  subscribers: { session: LoadSession; destination: string }[];
}

/** N topics, one publisher and `subsPerTopic` subscribers each. */
export async function buildTopology(
  url: string,
  credentials: Record<string, string>,
  topics: number,
  subsPerTopic: number,
): Promise<Topology> {
  const run = Math.random().toString(36).slice(2, 8);
  const destinations = Array.from({ length: topics }, (_, i) => `/topic/bench.${run}.${i}`);
  const subscriberSessions = await openMany(url, credentials, topics * subsPerTopic);
  const subscribers = subscriberSessions.map((session, i) => ({
    session,
    destination: destinations[i % topics]!,
  }));
  for (let i = 0; i < subscribers.length; i += 200) {
    await Promise.all(subscribers.slice(i, i + 200).map((s) => s.session.subscribe(s.destination)));
  }
  const publisherSessions = await openMany(url, credentials, topics);
  return {
    publishers: publisherSessions.map((session, i) => ({ session, destination: destinations[i]! })),
    subscribers,
  };
}

export function closeTopology(t: Topology): void {
  for (const s of [...t.publishers, ...t.subscribers]) s.session.close();
}

export interface PeakResult {
  messages: number;
  expected: number;
  delivered: number;
  seconds: number;
  deliveriesPerSecond: number;
  messagesPerSecond: number;
}

/**
 * Peak: every publisher sends `perPublisher` messages as fast as the target acknowledges them
 * (a receipt every `window` messages), and the clock stops when the last delivery arrives.
 */
export async function peak(
  t: Topology,
  subsPerTopic: number,
  perPublisher: number,
  timeoutMs: number,
  window = 50,
): Promise<PeakResult> {
  const expected = t.publishers.length * perPublisher * subsPerTopic;
  let delivered = 0;
  let last = performance.now();
  let allIn: () => void = () => undefined;
  const done = new Promise<void>((r) => (allIn = r));
  for (const s of t.subscribers) {
    s.session.onMessage = () => {
      delivered++;
      last = performance.now();
      if (delivered === expected) allIn();
    };
  }
  const body = 'p'.repeat(100);
  const started = performance.now();
  await Promise.all(
    t.publishers.map(async (p) => {
      for (let i = 0; i < perPublisher; i++) {
        if ((i + 1) % window === 0 || i === perPublisher - 1)
          await p.session.sendWithReceipt(p.destination, body);
        else p.session.send(p.destination, body);
      }
    }),
  );
  await Promise.race([done, new Promise((r) => setTimeout(r, timeoutMs))]);
  const seconds = (last - started) / 1000;
  return {
    messages: t.publishers.length * perPublisher,
    expected,
    delivered,
    seconds,
    deliveriesPerSecond: delivered / seconds,
    messagesPerSecond: delivered / subsPerTopic / seconds,
  };
}

export interface LatencyResult {
  rate: number;
  samples: number;
  p50: number;
  p99: number;
  deliveredRatio: number;
}

/** Latency at a fixed publish rate (messages/s over all publishers), publish-to-deliver in ms. */
export async function latency(
  t: Topology,
  subsPerTopic: number,
  rate: number,
  seconds: number,
): Promise<LatencyResult> {
  const latencies: number[] = [];
  for (const s of t.subscribers) {
    s.session.onMessage = (body) => {
      // Late deliveries of the peak phase (a target that fell behind) carry no timestamp.
      const sentAt = Number(body.slice(0, body.indexOf('|')));
      if (Number.isFinite(sentAt)) latencies.push(performance.now() - sentAt);
    };
  }
  const tickMs = 10;
  const perTick = rate / (1000 / tickMs);
  let owed = 0;
  let sent = 0;
  let next = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (performance.now() - started >= seconds * 1000) {
        clearInterval(timer);
        return resolve();
      }
      owed += perTick;
      for (; owed >= 1; owed--) {
        const p = t.publishers[next++ % t.publishers.length]!;
        p.session.send(p.destination, `${performance.now()}|${'l'.repeat(80)}`);
        sent++;
      }
    }, tickMs);
  });
  const expected = sent * subsPerTopic;
  const until = performance.now() + 5000;
  while (latencies.length < expected && performance.now() < until)
    await new Promise((r) => setTimeout(r, 20));
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    rate,
    samples: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    deliveredRatio: latencies.length / expected,
  };
}
