import { spawn } from 'node:child_process';
import { join } from 'node:path';

// Proves the harness works: it starts the targets, drives them, checks every delivery and prints
// its tables. The figures themselves come from `npm run bench`, never from a timed test.
describe('npm run bench -- --quick (bare-ws and the broker)', () => {
  let stdout = '';
  let stderr = '';
  let code: number | null = null;

  beforeAll(async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '../src/run.ts'),
        '--quick',
        '--targets',
        'bare-ws,stomp-broker',
      ],
      { cwd: join(__dirname, '../..') },
    );
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
  }, 180_000);

  const scenarioRows = () =>
    stdout
      .split('\n')
      .filter((l) => /^\| (fan-out|\d+ topics)[^|]*\| (bare-ws|stomp-broker) +\|/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));

  it('runs to the end', () => {
    expect(stderr).not.toMatch(/FAILED/);
    expect(code).toBe(0);
  });

  it('prints one row per scenario and target, each with every message delivered', () => {
    const rows = scenarioRows();
    expect(rows.map((r) => `${r[1]} ${r[2]}`).sort()).toEqual([
      '20 topics ×5 bare-ws',
      '20 topics ×5 stomp-broker',
      'fan-out 1→200 bare-ws',
      'fan-out 1→200 stomp-broker',
    ]);
    for (const r of rows) {
      expect(Number(r[3])).toBeGreaterThan(0); // deliveries/s
      expect(Number(r[4])).toBeGreaterThan(0); // p50 ms
      expect(r[7]).toBe('100'); // delivered %
    }
  });

  it('checks completeness per subscriber and holds the idle sessions', () => {
    expect(stdout).toMatch(/\| stomp-broker +\| +1000 \| +1000 \|/);
    const completeness = stdout.split('\n').filter((l) => l.includes('every message delivered'));
    expect(completeness).toHaveLength(4);
    for (const line of completeness) expect(line).toMatch(/0 lost, 0 out of order \| PASS/);
  });
});
