import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { isRunning, writePidRecord } from './liveness';

export interface DaemonSpec {
  command: string;
  args: string[];
  logPath: string;
  pidPath: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this OS user (PostgreSQL refuses to run as root). */
  user?: string;
}

/** Starts a server that outlives this process; its output is appended to its log. */
export function startDaemon(spec: DaemonSpec): number {
  const out = openSync(spec.logPath, 'a');
  const [command, args] =
    spec.user && process.getuid?.() === 0
      ? ['runuser', ['-u', spec.user, '--', spec.command, ...spec.args]]
      : [spec.command, spec.args];
  const options: SpawnOptions = {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  };
  const child = spawn(command, args, options);
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.unref();
  writePidRecord(spec.pidPath, child.pid);
  return child.pid;
}

/**
 * Stops a process group politely, then firmly: `signal` first, SIGKILL after `graceMs`.
 * Servers are started detached, so the group also holds what a launcher script forked.
 */
export async function stopProcess(
  pid: number,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<void> {
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  send(signal);
  const deadline = Date.now() + graceMs;
  // A zombie counts as stopped: its parent (often init) reaps it in its own time.
  while (isRunning(pid) && Date.now() < deadline) await delay(100);
  if (isRunning(pid)) send('SIGKILL');
  while (isRunning(pid)) await delay(50);
}

export function forgetPid(pidPath: string): void {
  rmSync(pidPath, { force: true });
}

/** Runs a short command to completion; throws with its output when it fails. */
export function runOnce(
  command: string,
  args: string[],
  options: { user?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const [cmd, argv] =
    options.user && process.getuid?.() === 0
      ? ['runuser', ['-u', options.user, '--', command, ...args]]
      : [command, args];
  const result = spawnSync(cmd, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.status}): ${output || result.error?.message}`,
    );
  }
  return result.stdout;
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
