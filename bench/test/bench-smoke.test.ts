import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Proves the harness works (connects, delivers everything, prints its tables); the figures
// themselves come from `npm run bench`, never from a timed test.
describe('npm run bench -- --quick', () => {
  it('drives the broker and the bare-ws ceiling and prints complete tables', () => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '../src/run.ts'),
        '--quick',
        '--targets',
        'bare-ws,stomp-broker',
      ],
      { cwd: join(__dirname, '../..'), encoding: 'utf8', timeout: 110_000 },
    );
    expect(result.stderr).not.toMatch(/FAILED/);
    expect(result.status).toBe(0);
    const rows = result.stdout
      .split('\n')
      .filter((l) => /^\| [^|]+ \| (bare-ws|stomp-broker) \|/.test(l));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const cells = row.split('|').map((c) => c.trim());
      expect(Number(cells[3])).toBeGreaterThan(0); // deliveries/s
      expect(cells[4]).toBe('100.0'); // every message delivered
    }
    expect(result.stdout).toMatch(/\| stomp-broker \| 1000 \| [\d.]+ \|/); // idle sessions held
    expect(result.stdout).toMatch(/every message delivered \| PASS/);
  });
});
