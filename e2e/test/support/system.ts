import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '../../..');

export const urls = {
  web: 'http://localhost:8080',
  server: 'http://127.0.0.1:8081/health/ready',
  chat: 'http://127.0.0.1:8082/health/ready',
  webHealth: 'http://127.0.0.1:8080/',
};

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

export interface RunningSystem {
  /** When `npm start` was launched (or, when reused, when we found it running). */
  startedAt: number;
  reused: boolean;
  stop(): Promise<void>;
}

/**
 * The system as `npm start` runs it (scripts/start.ts: infrastructure, build, the applications).
 * When all of it already answers on 8080-8082 it is reused and left running; otherwise start.ts
 * runs in its own process group, logging to test-results/e2e/start.log, and is stopped after.
 */
export async function startSystem(logDir: string, timeoutMs = 8 * 60_000): Promise<RunningSystem> {
  const wanted = [urls.server, urls.chat, urls.webHealth];
  const up = await Promise.all(wanted.map(answers));
  if (up.every(Boolean))
    return { startedAt: Date.now(), reused: true, stop: async () => undefined };
  if (up.some(Boolean)) {
    throw new Error(
      `some of ports 8080-8082 answer and some do not (${wanted.map((u, i) => `${u}: ${up[i] ? 'up' : 'down'}`).join(', ')}); stop them or start all of them with npm start`,
    );
  }
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'start.log'));
  const startedAt = Date.now();
  const child: ChildProcess = spawn('npx', ['tsx', 'scripts/start.ts'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    // grandchildren may still hold the pipes for a moment: let go of them and the log now
    child.stdout?.destroy();
    child.stderr?.destroy();
    log.end();
  };
  const deadline = startedAt + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`npm start exited with ${child.exitCode}; see ${join(logDir, 'start.log')}`);
    }
    if ((await Promise.all(wanted.map(answers))).every(Boolean)) {
      return { startedAt, reused: false, stop };
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  await stop();
  throw new Error(
    `the system did not answer within ${timeoutMs / 1000} s; see ${join(logDir, 'start.log')}`,
  );
}
