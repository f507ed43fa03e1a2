// The load client: publishers on the main thread, subscribers spread over worker threads, all
// speaking raw STOMP over `ws`. The same client drives every target.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { messageBody, nowMs } from './message-body';
import { openMany, type Credentials, type StompClient } from './stomp-client';
import type { FromWorker, SubscriberStats, ToWorker } from './worker-protocol';

const MAX_TOPICS = 4096;

/** A topology: `topics` destinations, one publisher each, `subsPerTopic` subscribers each. */
export interface Scenario {
  name: string;
  topics: number;
  subsPerTopic: number;
}

/** What the subscribers saw in one phase. */
export interface Delivery {
  /** Messages published. */
  sent: number;
  /** Deliveries owed: each message times the subscribers of its topic. */
  expected: number;
  /** Deliveries received (in the phase, at most once per message and subscriber). */
  delivered: number;
  /** Subscribers that got every message of their topic once, in order. */
  completeSubscribers: number;
  subscribers: number;
  /** Deliveries out of sequence: gaps, duplicates, reorderings. */
  anomalies: number;
  /** Sessions the target closed during the phase. */
  closed: number;
  /** ERROR frames and socket trouble seen by any session (first few). */
  problems: string[];
}

export interface PeakResult extends Delivery {
  /** From the first publish to the last delivery. */
  seconds: number;
  deliveriesPerSecond: number;
  messagesPerSecond: number;
}

export interface LatencyResult extends Delivery {
  /** The publish rate asked for (messages/s over all publishers) and the one achieved. */
  rate: number;
  achievedRate: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

export class LoadClient {
  private readonly delivered: Int32Array;
  private publishers: { client: StompClient; destination: string }[] = [];
  private scenario: Scenario | undefined;
  private phaseId = 0;

  private constructor(
    private readonly workers: Worker[],
    shared: SharedArrayBuffer,
  ) {
    this.delivered = new Int32Array(shared);
  }

  /** Starts `workers` subscriber threads (TypeScript, loaded through tsx like this process). */
  static async start(workers: number): Promise<LoadClient> {
    const shared = new SharedArrayBuffer(MAX_TOPICS * 4);
    const file = join(__dirname, 'subscriber-worker.ts');
    // A worker does not inherit tsx's ESM hooks on Node 20, so it registers tsx's CJS hook itself.
    const code = `require('tsx/cjs'); require(${JSON.stringify(file)});`;
    const pool = Array.from(
      { length: workers },
      () => new Worker(code, { eval: true, workerData: { delivered: shared } }),
    );
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('online', resolve);
            w.once('error', reject);
          }),
      ),
    );
    return new LoadClient(pool, shared);
  }

  /** Connects the subscribers (spread evenly over the workers) and then the publishers. */
  async open(url: string, credentials: Credentials, scenario: Scenario): Promise<void> {
    if (scenario.topics > MAX_TOPICS) throw new Error(`at most ${MAX_TOPICS} topics`);
    this.scenario = scenario;
    const run = Math.random().toString(36).slice(2, 8);
    const destinations = Array.from(
      { length: scenario.topics },
      (_, i) => `/topic/bench.${run}.${i}`,
    );
    const shares: number[][] = this.workers.map(() => []);
    for (let i = 0; i < scenario.topics * scenario.subsPerTopic; i++)
      shares[i % this.workers.length]!.push(i % scenario.topics);
    await Promise.all(
      this.workers.map((w, i) =>
        this.ask(w, { type: 'open', url, credentials, destinations, topics: shares[i]! }),
      ),
    );
    const { clients, error } = await openMany(url, credentials, scenario.topics);
    this.publishers = clients.map((client, i) => ({ client, destination: destinations[i]! }));
    if (error) throw new Error(`publisher sessions: ${error.message}`);
  }

  /**
   * Peak: each publisher sends as fast as the target lets it for `durationMs` — a RECEIPT asked
   * every `window / 2` messages with at most two outstanding, and at most `window` messages not
   * yet delivered to all its subscribers. Then waits (at most `drainMs`) for every delivery.
   */
  async peak(durationMs: number, drainMs: number, window = 16): Promise<PeakResult> {
    const receiptEvery = Math.max(1, Math.floor(window / 2));
    const scenario = this.scenario!;
    const phase = await this.newPhase(false);
    const sent = new Array<number>(scenario.topics).fill(0);
    const errors: string[] = [];
    let wake: () => void = () => undefined;
    let tick = new Promise<void>((r) => (wake = r));
    const ticker = setInterval(() => {
      wake();
      tick = new Promise<void>((r) => (wake = r));
    }, 1);
    const started = nowMs();
    const deadline = started + durationMs;
    await Promise.all(
      this.publishers.map(async ({ client, destination }, t) => {
        let outstanding = 0;
        while (nowMs() < deadline && client.isOpen) {
          const done = Math.floor(Atomics.load(this.delivered, t) / scenario.subsPerTopic);
          if (sent[t]! - done >= window || outstanding >= 2) {
            await tick;
            continue;
          }
          const seq = sent[t]!++;
          const body = messageBody(phase, seq, nowMs());
          if (seq % receiptEvery === receiptEvery - 1) {
            outstanding++;
            client.sendWithReceipt(destination, body).then(
              () => outstanding--,
              (error: Error) => (errors.push(error.message), outstanding--),
            );
          } else client.send(destination, body);
        }
      }),
    );
    clearInterval(ticker);
    wake();
    const total = sent.reduce((a, b) => a + b, 0);
    await this.drain(total * scenario.subsPerTopic, drainMs);
    const { delivery, lastAt } = await this.collect(sent);
    delivery.problems.unshift(...errors.slice(0, 3));
    const seconds = Math.max(1e-3, ((lastAt || nowMs()) - started) / 1000);
    return {
      ...delivery,
      seconds,
      deliveriesPerSecond: delivery.delivered / seconds,
      messagesPerSecond: delivery.delivered / scenario.subsPerTopic / seconds,
    };
  }

  /**
   * Latency: publishes at a fixed total rate (open loop, round-robin over the publishers) for
   * `durationMs`, each body stamped with its send time; subscribers record now − sentAt.
   */
  async latency(rate: number, durationMs: number, drainMs: number): Promise<LatencyResult> {
    const scenario = this.scenario!;
    const phase = await this.newPhase(true);
    const sent = new Array<number>(scenario.topics).fill(0);
    const started = nowMs();
    let total = 0;
    let next = 0;
    while (nowMs() - started < durationMs) {
      const owed = Math.floor(((nowMs() - started) / 1000) * rate) - total;
      for (let i = 0; i < owed; i++) {
        const t = next++ % this.publishers.length;
        const p = this.publishers[t]!;
        p.client.send(p.destination, messageBody(phase, sent[t]!++, nowMs()));
        total++;
      }
      await sleep(2);
    }
    const elapsed = (nowMs() - started) / 1000;
    await this.drain(total * scenario.subsPerTopic, drainMs);
    const { delivery, latencies } = await this.collect(sent);
    latencies.sort();
    const at = (q: number) =>
      latencies.length
        ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!
        : NaN;
    return {
      ...delivery,
      rate,
      achievedRate: total / elapsed,
      samples: latencies.length,
      p50: at(0.5),
      p99: at(0.99),
      max: latencies.length ? latencies[latencies.length - 1]! : NaN,
    };
  }

  /** Closes the scenario's sessions. */
  async close(): Promise<void> {
    for (const p of this.publishers) p.client.close();
    this.publishers = [];
    await Promise.all(this.workers.map((w) => this.ask(w, { type: 'close' })));
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async newPhase(latency: boolean): Promise<number> {
    const phase = ++this.phaseId;
    await Promise.all(this.workers.map((w) => this.ask(w, { type: 'phase', phase, latency })));
    // Every worker now ignores earlier phases, so the counters can start from zero.
    this.delivered.fill(0);
    return phase;
  }

  private async drain(expected: number, drainMs: number): Promise<void> {
    const until = nowMs() + drainMs;
    const topics = this.scenario!.topics;
    const sum = () => {
      let n = 0;
      for (let t = 0; t < topics; t++) n += Atomics.load(this.delivered, t);
      return n;
    };
    while (sum() < expected && nowMs() < until) await sleep(5);
  }

  private async collect(
    sent: number[],
  ): Promise<{ delivery: Delivery; latencies: Float64Array; lastAt: number }> {
    const reports = await Promise.all(
      this.workers.map(async (w) => {
        const answer = await this.ask(w, { type: 'report' });
        return (answer as { stats: SubscriberStats }).stats;
      }),
    );
    const delivery: Delivery = {
      sent: sent.reduce((a, b) => a + b, 0),
      expected: 0,
      delivered: 0,
      completeSubscribers: 0,
      subscribers: 0,
      anomalies: 0,
      closed: 0,
      problems: [],
    };
    let lastAt = 0;
    for (const r of reports) {
      for (let i = 0; i < r.topics.length; i++) {
        const owed = sent[r.topics[i]!]!;
        delivery.subscribers++;
        delivery.expected += owed;
        delivery.delivered += Math.min(owed, r.received[i]!);
        delivery.anomalies += r.anomalies[i]!;
        if (r.next[i] === owed && r.received[i] === owed && r.anomalies[i] === 0)
          delivery.completeSubscribers++;
      }
      delivery.closed += r.closed;
      delivery.problems.push(...r.problems);
      lastAt = Math.max(lastAt, r.lastAt);
    }
    for (const p of this.publishers) {
      if (!p.client.isOpen) delivery.closed++;
      delivery.problems.push(...p.client.problems.slice(0, 2));
    }
    delivery.problems = delivery.problems.slice(0, 5);
    const all = new Float64Array(reports.reduce((n, r) => n + r.latencies.length, 0));
    let offset = 0;
    for (const r of reports) {
      all.set(r.latencies, offset);
      offset += r.latencies.length;
    }
    return { delivery, latencies: all, lastAt };
  }

  private ask(worker: Worker, message: ToWorker, timeoutMs = 120_000): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        reject(new Error(`worker did not answer '${message.type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const onError = (error: Error) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        reject(new Error(`worker failed: ${error.stack ?? error.message}`));
      };
      const onMessage = (answer: FromWorker) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (answer.type === 'error') reject(new Error(`worker: ${answer.message}`));
        else resolve(answer);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(message);
    });
  }
}
