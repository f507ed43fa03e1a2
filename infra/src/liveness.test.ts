import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  inspect,
  isRunning,
  nextStep,
  readPidRecord,
  writePidRecord,
  type Facts,
  type ProcView,
} from './liveness';

/** A /proc/<pid>/stat line; the command name has a space and a ')' as real ones may. */
const statLine = (pid: number, state: string, startTicks: number) =>
  `${pid} (java) main) ${state} ${Array(18).fill('0').join(' ')} ${startTicks} 0 0`;

/** A fake /proc: 100 ticks a second, booted 1000 s ago, "now" is 1 000 000 ms. */
function fakeProc(processes: Record<number, { state: string; startTicks: number }>): ProcView {
  return {
    stat: (pid) => {
      const p = processes[pid];
      return p && statLine(pid, p.state, p.startTicks);
    },
    uptime: () => 1000,
    ticksPerSecond: 100,
    now: () => 1_000_000,
  };
}

describe('inspect: what became of a recorded process', () => {
  // Process 42 started 10 s ago (at uptime 990 s = 99 000 ticks).
  const record = { pid: 42, startTicks: 99_000, writtenAt: 990_100 };

  it('running: alive, with the recorded start time; its age is known', () => {
    expect(inspect(record, fakeProc({ 42: { state: 'S', startTicks: 99_000 } }))).toEqual({
      state: 'running',
      ageMs: 10_000,
    });
  });

  it('zombie: killed but not yet reaped (kill -0 would still succeed)', () => {
    expect(inspect(record, fakeProc({ 42: { state: 'Z', startTicks: 99_000 } })).state).toBe(
      'zombie',
    );
  });

  it('gone: no such process', () => {
    expect(inspect(record, fakeProc({})).state).toBe('gone');
  });

  it('foreign: the pid was reused by a process that started later', () => {
    expect(inspect(record, fakeProc({ 42: { state: 'S', startTicks: 99_500 } })).state).toBe(
      'foreign',
    );
  });

  it('an older pid file without a start time: ours only if it started before the file was written', () => {
    const legacy = { pid: 42, writtenAt: 990_100 };
    const view = (startTicks: number) => fakeProc({ 42: { state: 'S', startTicks } });
    expect(inspect(legacy, view(99_000)).state).toBe('running'); // started at 990 000 ms
    expect(inspect(legacy, view(99_900)).state).toBe('foreign'); // started at 999 000 ms
  });
});

describe('nextStep: health decides, then what became of the recorded process', () => {
  const base: Facts = { healthy: false, startTimeoutMs: 60_000, graceMs: 15_000, waited: false };
  const rec = (state: 'running' | 'zombie' | 'gone' | 'foreign', ageMs?: number) => ({
    pid: 42,
    state,
    ageMs,
  });

  it('reuses a healthy server whatever its pid file says', () => {
    expect(nextStep({ ...base, healthy: true })).toEqual({ kind: 'reuse' });
    expect(nextStep({ ...base, healthy: true, recorded: rec('zombie') }).kind).toBe('reuse');
  });

  it('starts a server with no pid file', () => {
    expect(nextStep(base)).toEqual({ kind: 'start' });
  });

  it('starts again, at once, a server whose process is a zombie, gone, or not ours', () => {
    expect(nextStep({ ...base, recorded: rec('zombie') })).toEqual({
      kind: 'start',
      note: 'pid 42 is dead (a zombie not yet reaped): starting it again',
    });
    expect(nextStep({ ...base, recorded: rec('gone') })).toEqual({
      kind: 'start',
      note: 'pid 42 is dead: starting it again',
    });
    expect(nextStep({ ...base, recorded: rec('foreign') }).kind).toBe('start');
  });

  it('waits for a live process of ours for the rest of its start window', () => {
    expect(nextStep({ ...base, recorded: rec('running', 20_000) })).toEqual({
      kind: 'wait',
      forMs: 40_000,
      note: 'already starting (pid 42)',
    });
  });

  it('gives a live process past its start window a short grace, then restarts it', () => {
    const old = { ...base, recorded: rec('running', 3_600_000) };
    expect(nextStep(old)).toMatchObject({ kind: 'wait', forMs: 15_000 });
    expect(nextStep({ ...old, waited: true })).toEqual({
      kind: 'restart',
      note: 'pid 42 is alive but still not healthy: restarting it',
    });
  });

  it('fails when the process it waited for exited (a crash at start would crash again)', () => {
    expect(nextStep({ ...base, recorded: rec('gone'), waited: true })).toEqual({
      kind: 'fail',
      why: 'the process exited before it became healthy',
    });
  });
});

describe('liveness on this machine', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'echopulse-liveness-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells a real zombie from a running process, where kill -0 cannot', async () => {
    // `sleep` as the parent never reaps its child, so the killed child stays a zombie.
    const holder = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const child = Number(
        await new Promise<string>((resolve) => holder.stdout.once('data', (d) => resolve(`${d}`))),
      );
      const pidPath = join(dir, 'child.pid');
      writePidRecord(pidPath, child);
      const record = readPidRecord(pidPath)!;
      expect(record.startTicks).toEqual(expect.any(Number));
      expect(inspect(record).state).toBe('running');

      process.kill(child, 'SIGKILL');
      while (isRunning(child)) await new Promise((r) => setTimeout(r, 10));
      expect(() => process.kill(child, 0)).not.toThrow(); // what the old check relied on
      expect(inspect(record).state).toBe('zombie');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes a pid file of our own pid, written before a restart, as not ours', () => {
    const pidPath = join(dir, 'self.pid');
    writeFileSync(pidPath, `${process.pid} 1\n`);
    expect(inspect(readPidRecord(pidPath)!).state).toBe('foreign');
    // An older pid file (pid only) written before this process started: not ours either.
    writeFileSync(pidPath, `${process.pid}\n`);
    utimesSync(pidPath, new Date(0), new Date(0));
    expect(readFileSync(pidPath, 'utf8')).toBe(`${process.pid}\n`);
    expect(inspect(readPidRecord(pidPath)!).state).toBe('foreign');
  });
});
