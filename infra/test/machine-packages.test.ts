import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/paths';

// Issue #10 item 16: `npm start` (prestart) installs what running needs; chromium and
// docker-compose (which pulls in docker.io) are for the tests only, installed by `npm test`'s
// pretest. `--list` prints the packages a purpose needs, one per line, and installs nothing.
function listFor(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'scripts/bootstrap.mjs'), ...args, '--list'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

function packages(...args: string[]): string[] {
  const result = listFor(...args);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.trim().split('\n');
}

describe('machine packages of scripts/bootstrap.mjs', () => {
  const running = ['postgresql', 'redis-server', 'maven', 'openjdk-17-jre-headless'];

  it('installs for running (npm start) only what running needs', () => {
    const wanted = packages('--for', 'run');
    expect(wanted).toEqual(running);
    // the default is running: `node scripts/bootstrap.mjs` is what prestart runs
    expect(packages()).toEqual(running);
  });

  it("installs for the tests (npm test) running's packages and the test-only ones", () => {
    const wanted = packages('--for', 'test');
    expect(wanted).toEqual(expect.arrayContaining([...running, 'chromium', 'docker-compose']));
    expect(wanted).toContain('python3-venv');
  });

  it('npm start bootstraps for running and npm test for the tests', () => {
    const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.prestart).toBe('node scripts/bootstrap.mjs --for run');
    expect(scripts.pretest).toBe('node scripts/bootstrap.mjs --for test');
  });

  it('refuses a purpose it does not know, saying which there are', () => {
    const result = listFor('--for', 'fun');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--for fun.*run.*test/s);
  });
});
