// The tables `npm run bench` prints (Markdown, aligned, ready to paste into bench/README.md).
import type { LatencyResult, PeakResult } from './load';
import type { TargetName } from './targets';

export interface ScenarioRow {
  scenario: string;
  target: TargetName;
  peak: PeakResult;
  latency: LatencyResult;
  /** CPU used during the peak phase, 100 = one core. */
  targetCpu: number;
  clientCpu: number;
}

export interface IdleRow {
  target: TargetName;
  asked: number;
  held: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  kibPerSession: number;
  openSeconds: number;
  error?: string | undefined;
}

export interface Results {
  date: string;
  quick: boolean;
  machine: string;
  client: string;
  targets: Partial<Record<TargetName, string>>;
  rows: ScenarioRow[];
  idle: IdleRow[];
}

/** The goals the broker is held to (issue: stomp-broker). */
export const goals = { vsBare: 0.6, vsRabbit: 3, kibPerSession: 30, sessions: 10_000 };

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    '| ' +
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') +
    ' |';
  const rule =
    '| ' +
    widths.map((w, i) => (right[i] ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ') +
    ' |';
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const complete = (r: ScenarioRow) =>
  r.peak.delivered === r.peak.expected &&
  r.peak.anomalies === 0 &&
  r.latency.delivered === r.latency.expected &&
  r.latency.anomalies === 0;

export function report(results: Results, options: { idleSessions: number }): string {
  const out: string[] = [];
  out.push(`\nEchoPulse STOMP benchmark${results.quick ? ' (--quick)' : ''} — ${results.date}`);
  out.push(`machine: ${results.machine}`);
  out.push(`load client: ${results.client}`);
  for (const [name, description] of Object.entries(results.targets))
    out.push(`${name}: ${description}`);
  out.push('');

  const rows = results.rows.map((row) => {
    const bare = results.rows.find((r) => r.scenario === row.scenario && r.target === 'bare-ws');
    const ratio = bare ? row.peak.deliveriesPerSecond / bare.peak.deliveriesPerSecond : NaN;
    const deliveredPct =
      (100 * (row.peak.delivered + row.latency.delivered)) /
      (row.peak.expected + row.latency.expected);
    return [
      row.scenario,
      row.target,
      fmt(row.peak.deliveriesPerSecond),
      fmt(row.latency.p50, 2),
      fmt(row.latency.p99, 2),
      fmt(row.latency.rate, 1),
      deliveredPct === 100 && complete(row) ? '100' : fmt(Math.min(deliveredPct, 99.99), 2),
      Number.isFinite(ratio) ? fmt(100 * ratio) + '%' : '—',
      fmt(row.targetCpu),
      fmt(row.clientCpu),
      fmt(row.peak.deliveriesPerSecond / (row.targetCpu / 100)),
    ];
  });
  out.push(
    table(
      [
        'scenario',
        'target',
        'deliveries/s',
        'p50 ms',
        'p99 ms',
        'at msgs/s',
        'delivered %',
        'vs bare-ws',
        'target CPU %',
        'client CPU %',
        'deliveries/target CPU-s',
      ],
      rows,
      [false, false, true, true, true, true, true, true, true, true, true],
    ),
  );
  out.push('');
  out.push(
    table(
      [
        'target',
        'idle sessions asked',
        'held',
        'RSS before MiB',
        'RSS after MiB',
        'RSS/session KiB',
      ],
      results.idle.map((i) => [
        i.target,
        String(i.asked),
        String(i.held),
        fmt(i.rssBeforeKiB / 1024, 1),
        fmt(i.rssAfterKiB / 1024, 1),
        fmt(i.kibPerSession, 1),
      ]),
      [false, true, true, true, true, true],
    ),
  );

  const checks: string[][] = [];
  const check = (target: string, what: string, ok: boolean, detail: string) =>
    checks.push([target, what, detail, ok ? 'PASS' : 'FAIL']);
  for (const row of results.rows) {
    const lost =
      row.peak.expected - row.peak.delivered + row.latency.expected - row.latency.delivered;
    check(
      row.target,
      `${row.scenario}: every message delivered, once, in order`,
      complete(row),
      `${row.peak.completeSubscribers}/${row.peak.subscribers} subscribers complete, ${lost} lost, ${row.peak.anomalies + row.latency.anomalies} out of order`,
    );
    if (row.target !== 'stomp-broker') continue;
    const bare = results.rows.find((r) => r.scenario === row.scenario && r.target === 'bare-ws');
    const rabbit = results.rows.find((r) => r.scenario === row.scenario && r.target === 'rabbitmq');
    if (bare) {
      const ratio = row.peak.deliveriesPerSecond / bare.peak.deliveriesPerSecond;
      check(
        row.target,
        `${row.scenario}: ≥ ${100 * goals.vsBare}% of bare-ws`,
        ratio >= goals.vsBare,
        `${fmt(100 * ratio)}%`,
      );
    }
    if (rabbit) {
      const ratio = row.peak.deliveriesPerSecond / rabbit.peak.deliveriesPerSecond;
      check(
        row.target,
        `${row.scenario}: ≥ ${goals.vsRabbit}× RabbitMQ Web-STOMP`,
        ratio >= goals.vsRabbit,
        `${fmt(ratio, 2)}×`,
      );
    }
  }
  const ours = results.idle.find((i) => i.target === 'stomp-broker');
  if (ours) {
    const wanted = Math.min(goals.sessions, options.idleSessions);
    check(
      ours.target,
      `${wanted} concurrent sessions held`,
      ours.held >= wanted,
      `${ours.held} held`,
    );
    check(
      ours.target,
      `≤ ${goals.kibPerSession} KiB RSS per idle session`,
      ours.kibPerSession <= goals.kibPerSession,
      `${fmt(ours.kibPerSession, 1)} KiB`,
    );
  }
  out.push('');
  out.push(table(['target', 'check', 'measured', 'result'], checks, [false, false, false, false]));
  const verdicts = [...new Set(checks.map((c) => c[0]!))].map((t) => {
    const mine = checks.filter((c) => c[0] === t);
    const failed = mine.filter((c) => c[3] === 'FAIL').length;
    return `${t}: ${failed ? 'FAIL' : 'PASS'} (${mine.length - failed}/${mine.length} checks)`;
  });
  out.push('');
  out.push(verdicts.join('; '));
  return out.join('\n') + '\n';
}
