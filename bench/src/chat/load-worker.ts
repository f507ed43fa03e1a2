// One share of the simulated users, in a worker thread of the load client: its own event loop,
// so the time the load client itself needs to take in deliveries (one burst of frames per message
// and channel) is not measured as the system's latency. Every worker follows the same schedule
// of turns and sends only its own users' turns; each measures its own users' deliveries.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { ChatUser } from './chat-user';
import { pool } from './users';

export interface LoadWorkerInput {
  users: { index: number; username: string; token: string; wsUrl: string }[];
  channelIds: string[];
  perChannel: number;
  rate: number;
  /** Sending at the rate first, unmeasured: connections, JIT and channel claims settle. */
  warmupSeconds: number;
  seconds: number;
}

export type ToWorker = { type: 'start'; startedAt: number } | { type: 'finish' };

export type FromWorker =
  | { type: 'log'; line: string }
  | { type: 'subscribed' }
  | { type: 'progress'; deliveries: number }
  | { type: 'sent'; sent: number; acked: number; refused: number; endedAt: number }
  | {
      type: 'result';
      latency: Float64Array;
      ack: Float64Array;
      /** send → receive of the warm-up's messages (cold start: claims, JIT, first fetches). */
      warmup: Float64Array;
      deliveries: number;
      duplicates: number;
      outOfOrder: number;
      loopP99Ms: number;
    }
  | { type: 'error'; message: string };

const nowMs = () => performance.timeOrigin + performance.now();

async function run(input: LoadWorkerInput, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: FromWorker) => port.postMessage(message);
  const log = (line: string) => post({ type: 'log', line });
  const { users, channelIds, perChannel, rate, warmupSeconds, seconds } = input;
  const channels = channelIds.length;
  const clients = users.map((u) => new ChatUser(u.username, u.wsUrl, u.token));
  const mine = new Map(users.map((u, k) => [u.index, k]));
  const channelOf = (index: number) => channelIds[Math.floor(index / perChannel)]!;
  const latency: number[] = [];
  const ack: number[] = [];
  const warmup: number[] = [];
  let warmupFrom = Infinity;
  let deliveries = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  /** Messages sent from then on are measured (their sending, RECEIPT and deliveries). */
  let measureFrom = Infinity;

  await pool('connected', clients, 16, (c) => c.connect(), log);
  // The projection follows server.events asynchronously: a refused subscription is retried.
  await pool(
    'subscribed',
    clients,
    16,
    async (c, k) => {
      const lastSeq = new Map<string, number>();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await c.subscribe(`/topic/channels/${channelOf(users[k]!.index)}`, (m) => {
          if (m.headers.event && m.headers.event !== 'message.created') return;
          const message = JSON.parse(m.body) as { seq: number; channelId: string; content: string };
          const sentAt = Number(/^bench (\d+(?:\.\d+)?)/.exec(message.content)?.[1]);
          const previous = lastSeq.get(message.channelId) ?? 0;
          if (message.seq <= previous) duplicates++;
          else if (previous !== 0 && message.seq !== previous + 1) outOfOrder++;
          lastSeq.set(message.channelId, Math.max(previous, message.seq));
          if (sentAt >= warmupFrom && sentAt < measureFrom) warmup.push(nowMs() - sentAt);
          if (!(sentAt >= measureFrom)) return;
          deliveries++;
          latency.push(nowMs() - sentAt);
        });
        if (ok) return;
        if (Date.now() > deadline)
          throw new Error(
            `${c.username} could not subscribe within 60 s (projection behind?); refusals: ${JSON.stringify(Object.fromEntries(c.rejections))}`,
          );
        await sleep(500);
      }
    },
    log,
  );
  post({ type: 'subscribed' });

  const { startedAt } = await next(port, 'start');
  warmupFrom = startedAt;
  measureFrom = startedAt + warmupSeconds * 1000;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const progress = setInterval(() => post({ type: 'progress', deliveries }), 100);
  let sent = 0;
  let acked = 0;
  let refused = 0;
  const pending: Promise<void>[] = [];
  const total = rate * (warmupSeconds + seconds);
  // Turns go round the channels (channel 1's first user, channel 2's first user, …), so each
  // channel gets its share of the rate evenly spaced rather than in bursts of its own members.
  const senderOf = (turn: number) =>
    (turn % channels) * perChannel + (Math.floor(turn / channels) % perChannel);
  const send = (index: number, turn: number) => {
    const c = clients[mine.get(index)!]!;
    const sentAt = nowMs();
    const measured = sentAt >= measureFrom;
    if (measured) sent++;
    pending.push(
      c
        .request(
          `/app/channels/${channelOf(index)}/messages`,
          JSON.stringify({ content: `bench ${sentAt.toFixed(3)}`, nonce: `b-${index}-${turn}` }),
          { 'content-type': 'application/json' },
        )
        .then((ok) => {
          if (!measured) return;
          if (ok) {
            acked++;
            ack.push(nowMs() - sentAt);
          } else refused++;
        }),
    );
  };
  let turn = 0;
  while (turn < total) {
    const due = Math.min(total, Math.floor(((nowMs() - startedAt) / 1000) * rate));
    for (; turn < due; turn++) {
      const sender = senderOf(turn);
      if (mine.has(sender)) send(sender, turn);
    }
    await sleep(10);
  }
  const endedAt = nowMs();
  await Promise.race([Promise.all(pending), sleep(15_000)]);
  post({ type: 'sent', sent, acked, refused, endedAt });

  await next(port, 'finish');
  clearInterval(progress);
  loopDelay.disable();
  measureFrom = Infinity;
  await pool(
    'disconnected',
    clients,
    32,
    (c) => c.close(),
    () => undefined,
  );
  post({
    type: 'result',
    latency: Float64Array.from(latency),
    ack: Float64Array.from(ack),
    warmup: Float64Array.from(warmup),
    deliveries,
    duplicates,
    outOfOrder,
    loopP99Ms: loopDelay.percentile(99) / 1e6,
  });
}

function next<T extends ToWorker['type']>(
  port: NonNullable<typeof parentPort>,
  type: T,
): Promise<Extract<ToWorker, { type: T }>> {
  return new Promise((resolve) => {
    const listener = (message: ToWorker) => {
      if (message.type !== type) return;
      port.off('message', listener);
      resolve(message as Extract<ToWorker, { type: T }>);
    };
    port.on('message', listener);
  });
}

if (parentPort) {
  const port = parentPort;
  run(workerData as LoadWorkerInput, port).catch((error: unknown) =>
    port.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies FromWorker),
  );
}
