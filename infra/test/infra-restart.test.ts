import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upServer } from '../src/infra';
import { repoRoot } from '../src/paths';
import { stopProcess } from '../src/process';
import { scratchRedis } from './support/scratch-redis';

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const recordedPid = (pidPath: string) =>
  Number(readFileSync(pidPath, 'utf8').trim().split(/\s+/)[0]);

// The shared servers are left alone: this runs a Redis of its own on a free port, in a temporary
// folder, and kills only that one.
describe('infra up after a server was killed with SIGKILL', () => {
  let dir: string;
  let pids: number[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'echopulse-scratch-redis-'));
    pids = [];
  });

  afterEach(async () => {
    for (const pid of pids) await stopProcess(pid, 'SIGTERM', 5000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts it again at once instead of waiting for the dead process', async () => {
    const port = await freePort();
    const { server, files } = scratchRedis(port, dir);
    // The first start runs in a process that exits, as `npm run infra:up` does: the server is
    // left to init, which may take its time to reap it, so right after SIGKILL its pid can
    // still be a zombie.
    const first = spawnSync(
      join(repoRoot, 'node_modules/.bin/tsx'),
      [join(__dirname, 'support/scratch-redis.ts'), String(port), dir],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const killed = recordedPid(files.pidPath);
    pids.push(killed);
    expect(await server.healthy()).toBe(true);

    process.kill(killed, 'SIGKILL');
    const started = Date.now();
    await expect(upServer(server, files)).resolves.toBe('started');
    const restarted = recordedPid(files.pidPath);
    pids.push(restarted);
    expect(restarted).not.toBe(killed);
    expect(await server.healthy()).toBe(true);
    // Redis starts in well under a second; no waiting for the dead process first.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
