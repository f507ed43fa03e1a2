// npm run bench [-- --quick] [-- --targets bare-ws,stomp-broker,rabbitmq] [-- --workers 2]
//                [-- --broker-cli path/to/cli.ts | --broker-ref <git ref>]
// Measures the STOMP broker side by side with a bare ws broadcast server (the ceiling) and
// RabbitMQ Web-STOMP, with one load client, in one run, and prints the figures as tables.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { LoadClient, type LatencyResult, type PeakResult, type Scenario } from './load';
import { report, type IdleRow, type Results, type ScenarioRow } from './report';
import { summarizeProfiles } from './profile';
import { openMany } from './stomp-client';
import {
  allTargets,
  benchHome,
  cpuSeconds,
  killChildren,
  profileDir,
  repoRoot,
  rssKiB,
  startTarget,
  type Target,
  type TargetName,
} from './targets';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    targets: { type: 'string', default: allTargets.join(',') },
    workers: { type: 'string', default: '2' },
    'in-flight': { type: 'string', default: '32000' },
    'broker-cli': { type: 'string' },
    'broker-ref': { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const quick = values.quick!;
const targets = values.targets!.split(',').map((t) => t.trim()) as TargetName[];
for (const t of targets) if (!allTargets.includes(t)) throw new Error(`unknown target ${t}`);
const workers = Number(values.workers);
/** Peak flow control: deliveries the publishers may have outstanding, over all topics. */
const inFlight = Number(values['in-flight']);

/** Sizes: the full run is what the targets are about; --quick proves the harness in seconds. */
const size = quick
  ? { fanOutSubs: 200, topics: 20, subsPerTopic: 5, idle: 1000, peakMs: 1500, latencyMs: 1000 }
  : {
      fanOutSubs: 1000,
      topics: 100,
      subsPerTopic: 10,
      idle: 10_000,
      peakMs: 10_000,
      latencyMs: 3000,
    };
const scenarios: Scenario[] = [
  { name: `fan-out 1→${size.fanOutSubs}`, topics: 1, subsPerTopic: size.fanOutSubs },
  {
    name: `${size.topics} topics ×${size.subsPerTopic}`,
    topics: size.topics,
    subsPerTopic: size.subsPerTopic,
  },
];
const warmUpMs = 1000;
const drainMs = quick ? 5000 : 15_000;
/** Everything stops by itself: the whole run is bounded. */
const hardLimitMs = quick ? 4 * 60_000 : 12 * 60_000;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** The broker to measure: the working tree's CLI, another file, or a committed version. */
function brokerCli(): string | undefined {
  if (values['broker-cli']) return values['broker-cli'];
  const ref = values['broker-ref'];
  if (!ref) return undefined;
  const sha = execFileSync('git', ['rev-parse', '--short', ref], {
    cwd: repoRoot,
    encoding: 'utf8',
  }).trim();
  const dir = join(benchHome, `broker-${sha}`);
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} stomp-broker | tar -x -C '${dir}'`], {
    cwd: repoRoot,
  });
  log(`measuring stomp-broker as of ${ref} (${sha}), exported to ${dir}`);
  return join(dir, 'stomp-broker/src/cli.ts');
}

/**
 * Waits (at most 90 s) until the target is quiet again — below 10% of a core over half a second —
 * and accepts a session: RabbitMQ takes a while to tear down 10,000 closed connections.
 */
async function settle(target: Target): Promise<void> {
  const until = Date.now() + 90_000;
  for (;;) {
    const before = cpuSeconds(target.pid);
    await sleep(500);
    const busy = (cpuSeconds(target.pid) - before) / 0.5;
    if (busy < 0.1 || Date.now() > until) break;
  }
  const probe = await openMany(target.url, target.credentials, 1);
  probe.clients.forEach((c) => c.close());
  if (probe.error)
    throw new Error(`${target.name} does not accept sessions: ${probe.error.message}`);
}

async function idleSessions(target: Target, count: number): Promise<IdleRow> {
  // Warm up the accept path first, so the code it loads is not counted per session.
  const warm = await openMany(target.url, target.credentials, 100);
  warm.clients.forEach((c) => c.close());
  await sleep(1000);
  const before = rssKiB(target.pid);
  const started = Date.now();
  const { clients, error } = await openMany(target.url, target.credentials, count);
  if (error)
    log(`${target.name}: idle sessions: stopped after ${clients.length}: ${error.message}`);
  const openSeconds = (Date.now() - started) / 1000;
  await sleep(quick ? 500 : 2000);
  const held = clients.filter((c) => c.isOpen).length;
  const after = rssKiB(target.pid);
  clients.forEach((c) => c.close());
  await settle(target);
  return {
    target: target.name,
    asked: count,
    held,
    rssBeforeKiB: before,
    rssAfterKiB: after,
    kibPerSession: held ? (after - before) / held : NaN,
    openSeconds,
    error: error?.message,
  };
}

async function scenario(client: LoadClient, target: Target, s: Scenario): Promise<ScenarioRow> {
  log(
    `${target.name}: ${s.name}: connecting ${s.topics * s.subsPerTopic} subscribers, ${s.topics} publishers`,
  );
  await client.open(target.url, target.credentials, s);
  try {
    // Per publisher: this many messages not yet delivered to all its subscribers.
    const window = Math.max(2, Math.ceil(inFlight / (s.topics * s.subsPerTopic)));
    await client.peak(warmUpMs, drainMs, window);
    const cpu0 = cpuSeconds(target.pid);
    const client0 = process.cpuUsage();
    const wall0 = Date.now();
    const peak: PeakResult = await client.peak(size.peakMs, drainMs, window);
    const wall = (Date.now() - wall0) / 1000;
    const targetCpu = (100 * (cpuSeconds(target.pid) - cpu0)) / wall;
    const used = process.cpuUsage(client0);
    const clientCpu = (100 * (used.user + used.system)) / 1e6 / wall;
    log(
      `${target.name}: ${s.name}: peak ${Math.round(peak.deliveriesPerSecond)} deliveries/s, ` +
        `${peak.delivered}/${peak.expected} delivered, target CPU ${targetCpu.toFixed(0)}%, client CPU ${clientCpu.toFixed(0)}%` +
        (peak.problems.length ? `; problems: ${peak.problems.join(' | ')}` : ''),
    );
    const rate = Math.max(1, peak.messagesPerSecond / 2);
    const latency: LatencyResult = await client.latency(rate, size.latencyMs, drainMs);
    log(
      `${target.name}: ${s.name}: at ${rate.toFixed(1)} msgs/s p50 ${latency.p50.toFixed(2)} ms, ` +
        `p99 ${latency.p99.toFixed(2)} ms, ${latency.delivered}/${latency.expected} delivered`,
    );
    return { scenario: s.name, target: target.name, peak, latency, targetCpu, clientCpu };
  } finally {
    await client.close();
    await sleep(500);
  }
}

async function main(): Promise<void> {
  const timer = setTimeout(() => {
    log(`FAILED: the run took longer than ${hardLimitMs / 60_000} minutes; stopping`);
    killChildren();
    process.exit(2);
  }, hardLimitMs);
  timer.unref();
  const cli = targets.includes('stomp-broker') ? brokerCli() : undefined;
  const results: Results = {
    date: new Date().toISOString(),
    quick,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    client: `1 process: publishers on the main thread, subscribers over ${workers} worker thread(s)`,
    targets: {},
    rows: [],
    idle: [],
  };
  const client = await LoadClient.start(workers);
  try {
    for (const name of targets) {
      log(`starting ${name}`);
      const target = await startTarget(name, cli, values.profile);
      results.targets[name] = target.description;
      try {
        log(`${name}: opening ${size.idle} idle sessions`);
        const idle = await idleSessions(target, size.idle);
        log(`${name}: ${idle.held} idle sessions held, ${idle.kibPerSession.toFixed(1)} KiB each`);
        results.idle.push(idle);
        for (const s of scenarios) results.rows.push(await scenario(client, target, s));
      } finally {
        await target.stop();
      }
    }
  } finally {
    await client.stop();
  }
  mkdirSync(benchHome, { recursive: true });
  writeFileSync(join(benchHome, 'last-run.json'), JSON.stringify(results, null, 2));
  process.stdout.write(report(results, { idleSessions: size.idle }));
  if (values.profile) process.stdout.write(`\n${summarizeProfiles(profileDir, results.date)}`);
}

process.once('SIGINT', () => {
  killChildren();
  process.exit(130);
});
main().catch((error: unknown) => {
  log(`FAILED ${(error as Error).stack ?? String(error)}`);
  killChildren();
  process.exit(1);
});
