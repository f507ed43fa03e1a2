// npm run bench [-- --quick] [-- --targets bare-ws,stomp-broker,rabbitmq]
// Measures the STOMP broker side by side with a bare ws broadcast server (the ceiling) and
// RabbitMQ Web-STOMP, with one load client, in one run, and prints the figures as tables.
import { parseArgs } from 'node:util';
import {
  buildTopology,
  closeTopology,
  latency,
  openMany,
  peak,
  type LatencyResult,
  type PeakResult,
} from './load';
import { rssKiB, startTarget, type TargetName } from './targets';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    targets: { type: 'string', default: 'bare-ws,stomp-broker,rabbitmq' },
  },
});
const quick = values.quick!;
const targets = values.targets!.split(',') as TargetName[];

const scenarios = [
  { name: 'fan-out 1→1000', topics: 1, subs: quick ? 200 : 1000, perPublisher: quick ? 200 : 1000 },
  {
    name: '100 topics ×10',
    topics: quick ? 20 : 100,
    subs: quick ? 5 : 10,
    perPublisher: quick ? 50 : 200,
  },
];
const idleSessions = quick ? 1000 : 10_000;
const latencySeconds = quick ? 1 : 3;
const peakTimeoutMs = quick ? 15_000 : 40_000;

interface Row {
  scenario: string;
  target: string;
  peak: PeakResult;
  latency: LatencyResult;
}
const rows: Row[] = [];
const idle: { target: string; held: number; kib: number }[] = [];
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<void> {
  for (const name of targets) {
    log(`starting ${name}`);
    const target = await startTarget(name);
    try {
      for (const s of scenarios) {
        log(
          `${name}: ${s.name}: connecting ${s.topics * s.subs} subscribers and ${s.topics} publishers`,
        );
        const topology = await buildTopology(target.url, target.credentials, s.topics, s.subs);
        const p = await peak(topology, s.subs, s.perPublisher, peakTimeoutMs);
        log(
          `${name}: ${s.name}: ${Math.round(p.deliveriesPerSecond)} deliveries/s, ${p.delivered}/${p.expected} delivered`,
        );
        await new Promise((r) => setTimeout(r, 500)); // let stragglers of a lossy target arrive
        const l = await latency(
          topology,
          s.subs,
          Math.max(1, p.messagesPerSecond / 2),
          latencySeconds,
        );
        closeTopology(topology);
        rows.push({ scenario: s.name, target: name, peak: p, latency: l });
        await new Promise((r) => setTimeout(r, 300));
      }
      log(`${name}: opening ${idleSessions} idle sessions`);
      const before = rssKiB(target.pid);
      let held = 0;
      try {
        const sessions = await openMany(target.url, target.credentials, idleSessions);
        held = sessions.length;
        await new Promise((r) => setTimeout(r, 1000));
        const after = rssKiB(target.pid);
        idle.push({ target: name, held, kib: (after - before) / held });
        sessions.forEach((s) => s.close());
      } catch (error) {
        log(`${name}: idle sessions failed after ${held}: ${(error as Error).message}`);
        idle.push({ target: name, held, kib: NaN });
      }
    } finally {
      await target.stop();
    }
  }
  report();
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function report(): void {
  const out: string[] = [];
  out.push(`\nEchoPulse STOMP benchmark${quick ? ' (quick)' : ''} — ${new Date().toISOString()}`);
  out.push(
    '| scenario | target | deliveries/s | delivered % | vs bare-ws | p50 ms | p99 ms | at msgs/s |',
  );
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const bare = rows.find((r) => r.scenario === row.scenario && r.target === 'bare-ws');
    const ratio = bare ? row.peak.deliveriesPerSecond / bare.peak.deliveriesPerSecond : NaN;
    out.push(
      `| ${row.scenario} | ${row.target} | ${fmt(row.peak.deliveriesPerSecond)} | ${fmt((100 * row.peak.delivered) / row.peak.expected, 1)} | ${fmt(100 * ratio, 0)}% | ${fmt(row.latency.p50, 2)} | ${fmt(row.latency.p99, 2)} | ${fmt(row.latency.rate)} |`,
    );
  }
  out.push('\n| target | idle sessions held | RSS per idle session (KiB) |');
  out.push('| --- | ---: | ---: |');
  for (const i of idle) out.push(`| ${i.target} | ${i.held} | ${fmt(i.kib, 1)} |`);

  const checks: [string, boolean][] = [];
  for (const s of scenarios) {
    const ours = rows.find((r) => r.scenario === s.name && r.target === 'stomp-broker');
    const bare = rows.find((r) => r.scenario === s.name && r.target === 'bare-ws');
    const rabbit = rows.find((r) => r.scenario === s.name && r.target === 'rabbitmq');
    if (!ours) continue;
    checks.push([`${s.name}: every message delivered`, ours.peak.delivered === ours.peak.expected]);
    if (bare)
      checks.push([
        `${s.name}: ≥ 60% of bare-ws`,
        ours.peak.deliveriesPerSecond >= 0.6 * bare.peak.deliveriesPerSecond,
      ]);
    if (rabbit)
      checks.push([
        `${s.name}: ≥ 3× RabbitMQ Web-STOMP`,
        ours.peak.deliveriesPerSecond >= 3 * rabbit.peak.deliveriesPerSecond,
      ]);
  }
  const ourIdle = idle.find((i) => i.target === 'stomp-broker');
  if (ourIdle) {
    checks.push([`${idleSessions} concurrent sessions held`, ourIdle.held === idleSessions]);
    checks.push(['≤ 30 KiB RSS per idle session', ourIdle.kib <= 30]);
  }
  out.push('\n| target check | result |');
  out.push('| --- | --- |');
  for (const [what, ok] of checks) out.push(`| ${what} | ${ok ? 'PASS' : 'FAIL'} |`);
  out.push(
    '\nOne load client process (raw STOMP frames over ws) drives every target in turn on this 2-core machine; client and server share the cores, so ratios measured in one run are the figures to compare.',
  );
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] FAILED ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
