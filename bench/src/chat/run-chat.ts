// npm run bench:chat [-- --quick] [-- --users 1000 --channels 50 --rate 500 --seconds 30]
// Simulated users (@stomp/stompjs) on two chat-service instances, through the real pipeline:
// STOMP SEND → Postgres sequencer → Kafka (acks=all) → both instances' fan-out → MESSAGE.
// Prints p50/p99 send-to-receive latency, send-to-RECEIPT latency, messages/s and RSS.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { up } from '@echopulse/infra';
import { benchHome, cpuSeconds, rssKiB } from '../targets';
import { build, startCluster, type Cluster } from './cluster';
import type { FromWorker, LoadWorkerInput, ToWorker } from './load-worker';
import { Samples } from './stats';
import { ensureBenchUsers, logIn, pool, type BenchUser } from './users';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    users: { type: 'string' },
    channels: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    port: { type: 'string', default: '18081' },
    'no-build': { type: 'boolean', default: false },
  },
});
const quick = values.quick!;
const users = Number(values.users ?? (quick ? 40 : 1000));
const channels = Number(values.channels ?? (quick ? 2 : 50));
const rate = Number(values.rate ?? (quick ? 20 : 500));
const seconds = Number(values.seconds ?? (quick ? 5 : 30));
const warmupSeconds = Number(values.warmup ?? (quick ? 1 : 5));
if (users % channels !== 0) throw new Error('--users must be a multiple of --channels');
const perChannel = users / channels;
const goalP99Ms = 50;
const hardLimitMs = quick ? 5 * 60_000 : 20 * 60_000;

const log = (line: string) => process.stderr.write(`[bench:chat] ${line}\n`);
const nowMs = () => performance.timeOrigin + performance.now();

async function api<T>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function setUpGuild(cluster: Cluster, all: BenchUser[]): Promise<string[]> {
  const base = cluster.server!.baseUrl;
  const owner = all[0]!;
  const guild = await api<{ id: string }>(base, owner.token, 'POST', '/guilds', {
    name: `bench ${new Date().toISOString()}`,
  });
  const channelIds: string[] = [];
  for (let c = 0; c < channels; c++) {
    const channel = await api<{ id: string }>(
      base,
      owner.token,
      'POST',
      `/guilds/${guild.id}/channels`,
      { name: `room-${c + 1}` },
    );
    channelIds.push(channel.id);
  }
  const invite = await api<{ code: string }>(
    base,
    owner.token,
    'POST',
    `/guilds/${guild.id}/invites`,
    {
      maxUses: 0,
      maxAgeSeconds: 0,
    },
  );
  await pool(
    'members joined',
    all.slice(1),
    8,
    (u) => api(base, u.token, 'POST', `/invites/${invite.code}`),
    log,
  );
  return channelIds;
}

interface Outcome {
  sent: number;
  acked: number;
  refused: number;
  expectedDeliveries: number;
  deliveries: number;
  duplicates: number;
  outOfOrder: number;
  latency: Samples;
  ack: Samples;
  /** send → receive during the warm-up, not part of the figures above it. */
  warmup: Samples;
  achievedRate: number;
  /** The highest of the load workers' event-loop delay p99. */
  loopP99Ms: number;
}

/** Marks the measured window (sending and draining) so CPU figures cover only it. */
interface Window {
  start(): void;
  end(): void;
}

/** Worker threads of the load client (see load-worker.ts): one per core. */
const loadWorkers = Math.max(1, Math.min(cpus().length, 4));

async function drive(
  cluster: Cluster,
  all: BenchUser[],
  channelIds: string[],
  window: Window,
): Promise<Outcome> {
  const workers = Array.from({ length: loadWorkers }, (_, w) => {
    const input: LoadWorkerInput = {
      users: all
        .map((u, index) => ({ ...u, index }))
        .filter(({ index }) => index % loadWorkers === w)
        .map(({ index, username, token }) => ({
          index,
          username,
          token,
          wsUrl: cluster.chats[index % cluster.chats.length]!.wsUrl!,
        })),
      channelIds,
      perChannel,
      rate,
      warmupSeconds,
      seconds,
    };
    // tsx's require hook, registered in the thread itself (`--import` does not reach workers).
    const entry = JSON.stringify(join(__dirname, 'load-worker.ts'));
    return new Worker(`require('tsx/cjs'); require(${entry});`, { eval: true, workerData: input });
  });
  const progress = new Array<number>(loadWorkers).fill(0);
  const inbox = workers.map((worker, w) => {
    const waiting = new Map<string, (m: FromWorker) => void>();
    const failed = new Promise<never>((_, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => code && reject(new Error(`load worker ${w} exited (${code})`)));
    });
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'log') return log(`[worker ${w + 1}] ${m.line}`);
      if (m.type === 'progress') progress[w] = m.deliveries;
      if (m.type === 'error') return waiting.forEach((f) => f(m));
      waiting.get(m.type)?.(m);
    });
    return <T extends FromWorker['type']>(type: T) =>
      Promise.race([
        failed,
        new Promise<Extract<FromWorker, { type: T }>>((resolve, reject) =>
          waiting.set(type, (m) =>
            m.type === 'error'
              ? reject(new Error(`load worker ${w + 1}: ${m.message}`))
              : resolve(m as Extract<FromWorker, { type: T }>),
          ),
        ),
      ]);
  });
  const each = <T extends FromWorker['type']>(type: T) => Promise.all(inbox.map((f) => f(type)));
  const tell = (message: ToWorker) => workers.forEach((w) => w.postMessage(message));
  try {
    await each('subscribed');
    await quiet();
    log(
      `sending ${rate} messages/s for ${warmupSeconds} s of warm-up + ${seconds} s measured from ${users} users in ${channels} channels (load client: ${loadWorkers} threads)…`,
    );
    const sentReports = each('sent');
    tell({ type: 'start', startedAt: nowMs() });
    await sleep(warmupSeconds * 1000);
    window.start();
    const started = nowMs();
    const reports = await sentReports;
    const elapsed = (Math.max(...reports.map((r) => r.endedAt)) - started) / 1000;
    const sum = (f: (r: (typeof reports)[number]) => number) =>
      reports.reduce((a, r) => a + f(r), 0);
    const acked = sum((r) => r.acked);
    const expectedDeliveries = acked * perChannel;
    const drainUntil = Date.now() + 15_000;
    while (progress.reduce((a, b) => a + b, 0) < expectedDeliveries && Date.now() < drainUntil)
      await sleep(100);
    window.end();
    const results = each('result');
    tell({ type: 'finish' });
    const done = await results;
    const latency = new Samples();
    const ack = new Samples();
    const warmup = new Samples();
    for (const r of done) {
      latency.addAll(r.latency);
      ack.addAll(r.ack);
      warmup.addAll(r.warmup);
    }
    return {
      sent: sum((r) => r.sent),
      acked,
      refused: sum((r) => r.refused),
      expectedDeliveries,
      deliveries: done.reduce((a, r) => a + r.deliveries, 0),
      duplicates: done.reduce((a, r) => a + r.duplicates, 0),
      outOfOrder: done.reduce((a, r) => a + r.outOfOrder, 0),
      latency,
      ack,
      warmup,
      achievedRate: acked / elapsed,
      loopP99Ms: Math.max(...done.map((r) => r.loopP99Ms)),
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** CPU jiffies of every process on the machine, grouped by what it is. */
function cpuByGroup(): Map<string, number> {
  const groups = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const jiffies = Number(fields[11]) + Number(fields[12]);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const group = cmd.includes('kafka.Kafka')
        ? 'kafka'
        : cmd.includes('keycloak') || cmd.includes('kc.')
          ? 'keycloak'
          : cmd.includes('postgres')
            ? 'postgres'
            : cmd.includes('redis-server')
              ? 'redis'
              : cmd.includes('chat-service/dist')
                ? 'chat-service (both)'
                : cmd.includes('server-service/dist')
                  ? 'server-service'
                  : pid === String(process.pid)
                    ? 'load client'
                    : 'everything else';
      groups.set(group, (groups.get(group) ?? 0) + jiffies);
    } catch {
      // the process ended meanwhile
    }
  }
  return groups;
}

/**
 * Waits (up to 30 s) until the machine is quiet — below 25% busy over a second — so what the
 * set-up left running (Keycloak hashing 1000 passwords, JIT, GC) does not fall into the run.
 */
async function quiet(): Promise<void> {
  const started = Date.now();
  for (;;) {
    const before = machineCpu();
    await sleep(1000);
    const after = machineCpu();
    const busy = 100 * (1 - (after.idle - before.idle) / (after.total - before.total));
    if (busy < 25) return;
    if (Date.now() - started > 30_000) {
      log(`the machine is still ${busy.toFixed(0)}% busy before the run; going on anyway`);
      return;
    }
    log(`waiting for the machine to settle (${busy.toFixed(0)}% busy)…`);
  }
}

/** Jiffies of all CPUs from /proc/stat: idle (idle + iowait) and total. */
function machineCpu(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { idle: fields[3]! + fields[4]!, total: fields.reduce((a, b) => a + b, 0) };
}

async function main(): Promise<void> {
  const killer = setTimeout(() => {
    log(`FAILED: the run passed its hard limit of ${hardLimitMs / 60_000} min`);
    process.exit(2);
  }, hardLimitMs);
  killer.unref();
  await up(['postgres', 'redis', 'kafka', 'keycloak']);
  build(log, values['no-build']!);
  await ensureBenchUsers(users, log);
  // The instances' own logs of the last run stay in .infra/bench/chat-logs.
  const cluster = await startCluster({
    basePort: Number(values.port),
    log,
    logDir: join(benchHome, 'chat-logs'),
  });
  const processes = [cluster.server!, ...cluster.chats];
  try {
    const all = await logIn(users, log);
    const channelIds = await setUpGuild(cluster, all);
    let startedAt = 0;
    let wall = 0;
    let cpuBefore: number[] = [];
    let cpuAfter: number[] = [];
    let clientCpuBefore = process.cpuUsage();
    let clientCpu = clientCpuBefore;
    let machineBefore = machineCpu();
    let machineAfter = machineBefore;
    let groupsBefore = new Map<string, number>();
    let groupsAfter = groupsBefore;
    const outcome = await drive(cluster, all, channelIds, {
      start() {
        startedAt = Date.now();
        cpuBefore = processes.map((s) => cpuSeconds(s.pid));
        clientCpuBefore = process.cpuUsage();
        machineBefore = machineCpu();
        groupsBefore = cpuByGroup();
      },
      end() {
        wall = (Date.now() - startedAt) / 1000;
        cpuAfter = processes.map((s) => cpuSeconds(s.pid));
        clientCpu = process.cpuUsage(clientCpuBefore);
        machineAfter = machineCpu();
        groupsAfter = cpuByGroup();
      },
    });
    const machineBusy =
      100 *
      (1 - (machineAfter.idle - machineBefore.idle) / (machineAfter.total - machineBefore.total));
    const rss = processes.map((s, i) => ({
      name: s.name,
      rssMiB: rssKiB(s.pid) / 1024,
      cpu: (100 * (cpuAfter[i]! - cpuBefore[i]!)) / wall,
    }));
    const client = {
      rssMiB: process.memoryUsage().rss / 2 ** 20,
      cpu: (clientCpu.user + clientCpu.system) / 1e4 / wall,
      loopP99: outcome.loopP99Ms,
    };
    const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
    const p99 = outcome.latency.percentile(99);
    const lines = [
      '',
      `## chat-service benchmark (${quick ? 'quick' : 'full'}) — ${new Date().toISOString()}`,
      '',
      `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${users} users (half on each of two chat-service instances), ${channels} channels of ${perChannel}, ${rate} messages/s offered for ${seconds} s, measured after ${warmupSeconds} s of warm-up at the same rate`,
      '',
      '| figure | value |',
      '| --- | --- |',
      `| messages sent / acknowledged (RECEIPT) / refused | ${outcome.sent} / ${outcome.acked} / ${outcome.refused} |`,
      `| acknowledged messages/s | ${fmt(outcome.achievedRate)} |`,
      `| deliveries expected / received | ${outcome.expectedDeliveries} / ${outcome.deliveries} |`,
      `| duplicates / out of order | ${outcome.duplicates} / ${outcome.outOfOrder} |`,
      `| send → receive p50 / p90 / p99 / max (ms) | ${fmt(outcome.latency.percentile(50))} / ${fmt(outcome.latency.percentile(90))} / ${fmt(p99)} / ${fmt(outcome.latency.max)} |`,
      `| send → RECEIPT p50 / p99 (ms) | ${fmt(outcome.ack.percentile(50))} / ${fmt(outcome.ack.percentile(99))} |`,
      `| warm-up (first ${warmupSeconds} s, not measured above): send → receive p50 / p99 / max (ms) | ${fmt(outcome.warmup.percentile(50))} / ${fmt(outcome.warmup.percentile(99))} / ${fmt(outcome.warmup.max)} |`,
      ...rss.map(
        (r) => `| ${r.name}: RSS MiB / CPU % of a core | ${fmt(r.rssMiB)} / ${fmt(r.cpu, 0)} |`,
      ),
      `| load client (all users, ${loadWorkers} threads): RSS MiB / CPU % of a core / event-loop delay p99 ms (worst thread) | ${fmt(client.rssMiB)} / ${fmt(client.cpu, 0)} / ${fmt(client.loopP99)} |`,
      `| whole machine: CPU busy % (both cores, every process) | ${fmt(machineBusy, 0)} |`,
      `| CPU % of a core by process group | ${[...groupsAfter]
        .map(([g, j]) => [g, j - (groupsBefore.get(g) ?? 0)] as const)
        .sort((a, b) => b[1] - a[1])
        .map(([g, j]) => `${g} ${fmt(j / wall, 0)}`)
        .join(', ')} |`,
      '',
      `goal p99 ≤ ${goalP99Ms} ms: ${p99 <= goalP99Ms ? 'met' : 'NOT met'}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    mkdirSync(benchHome, { recursive: true });
    writeFileSync(
      join(benchHome, 'chat-last-run.json'),
      JSON.stringify(
        {
          date: new Date().toISOString(),
          quick,
          users,
          channels,
          rate,
          seconds,
          ...outcome,
          latency: {
            p50: outcome.latency.percentile(50),
            p90: outcome.latency.percentile(90),
            p99,
            max: outcome.latency.max,
          },
          ack: { p50: outcome.ack.percentile(50), p99: outcome.ack.percentile(99) },
          warmup: {
            seconds: warmupSeconds,
            p50: outcome.warmup.percentile(50),
            p99: outcome.warmup.percentile(99),
            max: outcome.warmup.max,
          },
          processes: rss,
          client,
        },
        null,
        2,
      ),
    );
    if (outcome.deliveries < outcome.expectedDeliveries || outcome.duplicates > 0)
      throw new Error(
        `lost or doubled deliveries: ${outcome.deliveries}/${outcome.expectedDeliveries}, ${outcome.duplicates} duplicates`,
      );
  } finally {
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
