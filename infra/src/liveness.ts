import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

/**
 * What became of a process infra recorded in a pid file:
 * - `running`: alive, and the very process we started;
 * - `zombie`: dead (killed, crashed) but not yet reaped by its parent — `kill -0` still succeeds;
 * - `gone`: no such process any more;
 * - `foreign`: the pid now belongs to another process (pids are reused).
 */
export type ProcessState = 'running' | 'zombie' | 'gone' | 'foreign';

/** A pid file's content: the pid, and the process's start time in clock ticks since boot. */
export interface PidRecord {
  pid: number;
  /** Absent in pid files written before start times were recorded. */
  startTicks?: number;
  /** When the pid file was written (ms since the epoch). */
  writtenAt: number;
}

/** The parts of /proc liveness needs; tests pass a fake. */
export interface ProcView {
  /** The text of /proc/<pid>/stat, or undefined when there is no such process. */
  stat(pid: number): string | undefined;
  /** Seconds since boot (/proc/uptime). */
  uptime(): number;
  /** Clock ticks per second (USER_HZ), the unit of a process's start time. */
  readonly ticksPerSecond: number;
  now(): number;
}

let userHz: number | undefined;

/** The machine's /proc (Linux). Elsewhere every recorded process counts as running if `kill -0` says so. */
export const proc: ProcView = {
  stat(pid) {
    if (!existsSync('/proc/self/stat')) return fallbackStat(pid);
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
  },
  uptime: () =>
    existsSync('/proc/uptime') ? Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) : 0,
  get ticksPerSecond() {
    userHz ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
    return userHz;
  },
  now: () => Date.now(),
};

/** Without /proc: a stat line that says "running, start unknown" while `kill -0` succeeds. */
function fallbackStat(pid: number): string | undefined {
  try {
    process.kill(pid, 0);
    return `${pid} (unknown) S`;
  } catch {
    return undefined;
  }
}

interface Stat {
  state: string;
  startTicks?: number;
}

/** Fields of /proc/<pid>/stat: the command name may hold spaces and parentheses, so split after the last ')'. */
function parseStat(text: string): Stat {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); start time is field 22 (proc(5)).
  const startTicks = Number(fields[19]);
  return {
    state: fields[0] ?? '',
    startTicks: Number.isFinite(startTicks) ? startTicks : undefined,
  };
}

/** Reads a pid file (`<pid> <start ticks>`, or just `<pid>` from older versions). */
export function readPidRecord(pidPath: string): PidRecord | undefined {
  if (!existsSync(pidPath)) return undefined;
  const [pid, ticks] = readFileSync(pidPath, 'utf8').trim().split(/\s+/).map(Number);
  if (!Number.isInteger(pid) || pid! <= 0) return undefined;
  return {
    pid: pid!,
    startTicks: Number.isInteger(ticks) ? ticks : undefined,
    writtenAt: statSync(pidPath).mtimeMs,
  };
}

/** Records a process we just spawned, with its start time so a reused pid is never taken for it. */
export function writePidRecord(pidPath: string, pid: number, view: ProcView = proc): void {
  const text = view.stat(pid);
  const ticks = text === undefined ? undefined : parseStat(text).startTicks;
  writeFileSync(pidPath, ticks === undefined ? `${pid}\n` : `${pid} ${ticks}\n`);
}

/** How long ago a process started (ms), from its start time in ticks since boot. */
function ageMs(startTicks: number, view: ProcView): number {
  return Math.max(0, (view.uptime() - startTicks / view.ticksPerSecond) * 1000);
}

export interface Inspection {
  state: ProcessState;
  /** How long the process has been running (known for `running` ones on Linux). */
  ageMs?: number;
}

/**
 * What became of a recorded process. It is ours when its start time is the recorded one, or,
 * for an older pid file without one, when it started before the pid file was written.
 */
export function inspect(record: PidRecord, view: ProcView = proc): Inspection {
  const text = view.stat(record.pid);
  if (text === undefined) return { state: 'gone' };
  const stat = parseStat(text);
  if (stat.startTicks === undefined) return { state: stat.state === 'Z' ? 'zombie' : 'running' };
  const age = ageMs(stat.startTicks, view);
  const ours =
    record.startTicks !== undefined
      ? record.startTicks === stat.startTicks
      : view.now() - age <= record.writtenAt + 1000;
  if (!ours) return { state: 'foreign' };
  // Z: zombie, X: dead (being reaped).
  if (stat.state === 'Z' || stat.state === 'X') return { state: 'zombie' };
  return { state: 'running', ageMs: age };
}

/** True while `pid` is a live process (a zombie is not): for waiting on a process we signalled. */
export function isRunning(pid: number, view: ProcView = proc): boolean {
  const text = view.stat(pid);
  if (text === undefined) return false;
  const { state } = parseStat(text);
  return state !== 'Z' && state !== 'X';
}

/** What `up` knows about one server at one moment. */
export interface Facts {
  healthy: boolean;
  /** The process its pid file names, if there is a pid file. */
  recorded?: { pid: number } & Inspection;
  startTimeoutMs: number;
  /** How long to give a process that is past its start window but alive, before restarting it. */
  graceMs: number;
  /** True once `up` has already waited for this very process. */
  waited: boolean;
}

export type Step =
  | { kind: 'reuse' }
  | { kind: 'start'; note?: string }
  | { kind: 'wait'; forMs: number; note: string }
  | { kind: 'restart'; note: string }
  | { kind: 'fail'; why: string };

/**
 * The one rule `up` follows: health decides, not the pid file. A healthy server is reused; a
 * recorded process that is dead (gone, or a zombie nobody reaped yet) or that is not ours any
 * more (its pid was reused) is forgotten and the server started again; a live one of ours is
 * given the rest of its start window (or a short grace, if it is past it), then restarted.
 */
export function nextStep(facts: Facts): Step {
  if (facts.healthy) return { kind: 'reuse' };
  const { recorded } = facts;
  if (!recorded) return { kind: 'start' };
  const { pid, state } = recorded;
  switch (state) {
    case 'zombie':
    case 'gone':
      if (facts.waited) return { kind: 'fail', why: 'the process exited before it became healthy' };
      return {
        kind: 'start',
        note: `pid ${pid} is dead${state === 'zombie' ? ' (a zombie not yet reaped)' : ''}: starting it again`,
      };
    case 'foreign':
      return {
        kind: 'start',
        note: `pid ${pid} is now another process (pid reused): starting it again`,
      };
    case 'running': {
      if (facts.waited)
        return {
          kind: 'restart',
          note: `pid ${pid} is alive but still not healthy: restarting it`,
        };
      const left = facts.startTimeoutMs - (recorded.ageMs ?? 0);
      return left > facts.graceMs
        ? { kind: 'wait', forMs: left, note: `already starting (pid ${pid})` }
        : {
            kind: 'wait',
            forMs: facts.graceMs,
            note: `running (pid ${pid}) but not healthy: giving it ${facts.graceMs / 1000} s`,
          };
    }
  }
}
