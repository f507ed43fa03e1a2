// A worker thread of the load client holding a share of the subscriber sessions. It counts what
// each subscriber receives (in order, once, complete), adds deliveries to a per-topic counter the
// publishers read for flow control, and records publish-to-deliver latency when asked to.
import { parentPort, workerData } from 'node:worker_threads';
import { nowMs, readBody, readSentAt } from './message-body';
import { openMany, type StompClient } from './stomp-client';
import type { SubscriberStats, ToWorker, FromWorker } from './worker-protocol';

const port = parentPort!;
/** Deliveries of the current phase per topic, shared with the main thread (Atomics). */
const delivered = new Int32Array(workerData.delivered as SharedArrayBuffer);

interface Subscriber {
  client: StompClient;
  topic: number;
  next: number;
  received: number;
  anomalies: number;
}

let subscribers: Subscriber[] = [];
let phase = -1;
let measureLatency = false;
let latencies = new Float64Array(1 << 16);
let samples = 0;
let late = 0;
let lastAt = 0;

function record(latency: number): void {
  if (samples === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[samples++] = latency;
}

function attach(s: Subscriber): void {
  s.client.onMessage = (data, start, end) => {
    const body = readBody(data, start, end);
    if (body.phase !== phase) {
      late++;
      return;
    }
    const now = nowMs();
    lastAt = now;
    s.received++;
    if (body.seq === s.next) s.next++;
    else s.anomalies++; // a gap, a duplicate or a reordering
    Atomics.add(delivered, s.topic, 1);
    if (measureLatency) record(now - readSentAt(data, body.sentAtStart, end));
  };
}

function stats(): SubscriberStats {
  const problems: string[] = [];
  let closed = 0;
  for (const s of subscribers) {
    if (!s.client.isOpen) closed++;
    for (const p of s.client.problems) if (problems.length < 5) problems.push(p);
  }
  return {
    topics: Int32Array.from(subscribers, (s) => s.topic),
    next: Int32Array.from(subscribers, (s) => s.next),
    received: Int32Array.from(subscribers, (s) => s.received),
    anomalies: Int32Array.from(subscribers, (s) => s.anomalies),
    latencies: latencies.slice(0, samples),
    late,
    lastAt,
    closed,
    problems,
  };
}

const reply = (message: FromWorker, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

// each message's handler catches its own errors and replies with them: nothing to await
port.on('message', (message: ToWorker) => void handle(message));

async function handle(message: ToWorker): Promise<void> {
  try {
    switch (message.type) {
      case 'open': {
        const { clients, error } = await openMany(
          message.url,
          message.credentials,
          message.topics.length,
        );
        subscribers = clients.map((client, i) => ({
          client,
          topic: message.topics[i]!,
          next: 0,
          received: 0,
          anomalies: 0,
        }));
        if (error) throw error;
        subscribers.forEach(attach);
        for (let i = 0; i < subscribers.length; i += 250) {
          await Promise.all(
            subscribers
              .slice(i, i + 250)
              .map((s) => s.client.subscribe(message.destinations[s.topic]!)),
          );
        }
        return reply({ type: 'opened', count: subscribers.length });
      }
      case 'phase':
        phase = message.phase;
        measureLatency = message.latency;
        samples = 0;
        late = 0;
        lastAt = 0;
        for (const s of subscribers) s.next = s.received = s.anomalies = 0;
        return reply({ type: 'phase-ready' });
      case 'report': {
        const result = stats();
        return reply({ type: 'report', stats: result }, [result.latencies.buffer as ArrayBuffer]);
      }
      case 'close':
        for (const s of subscribers) s.client.close();
        subscribers = [];
        return reply({ type: 'closed' });
    }
  } catch (error) {
    reply({ type: 'error', message: (error as Error).message });
  }
}
