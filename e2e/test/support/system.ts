import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const root = join(__dirname, '../../..');

export const urls = {
  web: 'http://localhost:8080',
  server: 'http://127.0.0.1:8081/health/ready',
  chat: 'http://127.0.0.1:8082/health/ready',
  webHealth: 'http://127.0.0.1:8080/',
};

/** The applications' ports: npm start's, and nothing else may hold them during the e2e tests. */
export const appPorts = [8080, 8081, 8082];

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export async function listening(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** Whether any process of the process group led by `pid` is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The promise's value, or 'timeout' after ms (the timer does not outlive the race). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(r, ms, 'timeout')));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunningSystem {
  /** When `npm start` was launched. */
  startedAt: number;
  /** The pid of `npm start` itself: what a person sees in `ps` and signals. */
  pid: number;
  /** What npm start printed as started: application → pid leading its process group. */
  apps: Map<string, number>;
  /** Everything npm start printed. */
  output(): string;
  /**
   * Stops npm start as a person does: `kill -TERM <pid>` (SIGTERM), or Ctrl-C in its terminal
   * (SIGINT to its whole process group). Resolves with its exit code once it has exited.
   */
  interrupt(signal: 'SIGTERM' | 'SIGINT', timeoutMs?: number): Promise<number | null>;
  /** Clean-up after the tests, whatever state they left: nothing of the system stays running. */
  stop(): Promise<void>;
}

/**
 * The system as a person starts it: `npm start` at the root (scripts/start.ts: infrastructure,
 * build, the applications with the web app's production server), in its own process group,
 * logging to <logDir>/start.log. Ports 8080-8082 must be free: the tests run on what this start
 * serves, never on a server someone left running (it might be `npm run dev`'s Vite).
 */
export async function startSystem(
  logDir: string,
  logName = 'start.log',
  timeoutMs = 8 * 60_000,
): Promise<RunningSystem> {
  const taken = [];
  for (const port of appPorts) if (await listening(port)) taken.push(port);
  if (taken.length) {
    throw new Error(
      `port(s) ${taken.join(', ')} already in use: the end-to-end tests start the system themselves with npm start; stop what listens there (an npm start or npm run dev of yours?) and run them again`,
    );
  }
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, logName);
  const log = createWriteStream(logPath);
  let output = '';
  const startedAt = Date.now();
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  const apps = new Map<string, number>();
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
      for (const m of output.matchAll(/\[start\] (\S+) started \(pid (\d+)/g)) {
        apps.set(m[1]!, Number(m[2]));
      }
    });
  }
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const interrupt = async (signal: 'SIGTERM' | 'SIGINT', waitMs = 60_000) => {
    if (signal === 'SIGTERM') process.kill(child.pid!, 'SIGTERM');
    else process.kill(-child.pid!, 'SIGINT');
    const code = await within(exited, waitMs);
    if (code === 'timeout')
      throw new Error(
        `npm start did not exit within ${waitMs / 1000} s of ${signal}; see ${logPath}`,
      );
    return code;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGTERM');
      await within(exited, 30_000);
    }
    // whatever is still running of it (a failed test's leftovers) goes now
    for (const pid of [child.pid!, ...apps.values()]) {
      if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    log.end();
  };
  const system = { startedAt, pid: child.pid!, apps, output: () => output, interrupt, stop };
  const deadline = startedAt + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`npm start exited with ${child.exitCode}; see ${logPath}`);
    }
    if (output.includes('EchoPulse is running')) return system;
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`the system did not answer within ${timeoutMs / 1000} s; see ${logPath}`);
}
