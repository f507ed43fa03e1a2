// The servers under test, each started as its own process (so its RSS and CPU can be read from
// /proc) on loopback, and stopped by the bench.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Credentials } from './stomp-client';

export const repoRoot = resolve(__dirname, '../..');
export const benchHome = join(repoRoot, '.infra/bench');

export type TargetName = 'bare-ws' | 'stomp-broker' | 'rabbitmq';
export const allTargets: TargetName[] = ['bare-ws', 'stomp-broker', 'rabbitmq'];

/** A running server under test. */
export interface Target {
  name: TargetName;
  url: string;
  /** The process whose memory and CPU are measured (for RabbitMQ: the Erlang VM, beam.smp). */
  pid: number;
  credentials: Credentials;
  /** What exactly runs, for the report (version, command). */
  description: string;
  stop(): Promise<void>;
}

/** Resident memory of a process in KiB. */
export function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** CPU time (user + system, all threads) a process has used, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5), counted from `state` (field 3) here; clock ticks are 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** Runs a TypeScript entry point with tsx in its own Node process and waits for its ws:// URL. */
export async function startNodeTarget(
  name: TargetName,
  script: string,
  args: string[],
  description: string,
  nodeFlags: string[] = [],
): Promise<Target> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
    process.stderr.write(`[${name}] ${d.toString()}`);
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} printed no ws:// URL in 30 s`)),
      30_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /(ws:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening: ${output.trim()}`));
    });
  });
  return { name, url, pid: child.pid!, credentials: {}, description, stop: () => stopChild(child) };
}

const portOpen = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

const rabbitBin = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const rabbitPorts = { amqp: 25672, stomp: 25613, webStomp: 25674, dist: 25680, epmd: 24369 };

/** The Debian package's version, e.g. 3.10.8-1.1+deb12u1. */
function rabbitVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'rabbitmq-server'], {
      encoding: 'utf8',
    });
  } catch {
    return 'unknown version';
  }
}

/**
 * RabbitMQ from Debian's `rabbitmq-server` package with its Web-STOMP plugin, run as a plain
 * process (never the system service) with its own node name, ports, epmd, Erlang cookie, data
 * and logs under .infra/bench/rabbitmq, which is wiped on each start.
 */
export async function startRabbitMq(): Promise<Target> {
  if (!existsSync(rabbitBin)) {
    throw new Error(
      'RabbitMQ is not installed. Install it with: apt-get update && apt-get install -y rabbitmq-server ' +
        '(Web-STOMP ships in the package), or leave it out: npm run bench -- --targets bare-ws,stomp-broker',
    );
  }
  const dir = join(benchHome, 'rabbitmq');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${rabbitPorts.amqp}`,
      `stomp.listeners.tcp.1 = 127.0.0.1:${rabbitPorts.stomp}`,
      `web_stomp.tcp.ip = 127.0.0.1`,
      `web_stomp.tcp.port = ${rabbitPorts.webStomp}`,
      `web_stomp.ws_path = /ws`,
      `loopback_users.guest = true`,
      `log.console = false`,
      `log.file.level = warning`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_web_stomp].\n');
  const pidFile = join(dir, 'beam.pid');
  const env = {
    ...process.env,
    HOME: dir, // the Erlang cookie goes here, not in root's home
    RABBITMQ_NODENAME: 'echopulse-bench@localhost',
    RABBITMQ_DIST_PORT: String(rabbitPorts.dist),
    ERL_EPMD_PORT: String(rabbitPorts.epmd),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: pidFile,
  };
  const child = spawn(rabbitBin, [], { cwd: dir, stdio: 'ignore', env });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const deadline = Date.now() + 90_000;
  while (!(await portOpen(rabbitPorts.webStomp))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stopChild(child);
      throw new Error(
        `RabbitMQ did not open Web-STOMP on 127.0.0.1:${rabbitPorts.webStomp} within 90 s; see ${join(dir, 'log')}`,
      );
    }
    await sleep(250);
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  strays.add(pid);
  const stopEpmd = () => {
    try {
      execFileSync('epmd', ['-port', String(rabbitPorts.epmd), '-kill'], { stdio: 'ignore' });
    } catch {
      /* not running */
    }
  };
  return {
    name: 'rabbitmq',
    url: `ws://127.0.0.1:${rabbitPorts.webStomp}/ws`,
    pid,
    credentials: { login: 'guest', passcode: 'guest' },
    description: `RabbitMQ ${rabbitVersion()} (Debian) with rabbitmq_web_stomp, Erlang VM pid ${pid}`,
    async stop() {
      await stopChild(child, 20_000);
      // The script's TERM trap stops the VM; should it not have, end the VM we started.
      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        if (!existsSync(`/proc/${pid}`)) break;
        process.kill(pid, signal);
        for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i++) await sleep(100);
      }
      stopEpmd();
      strays.delete(pid);
    },
  };
}

/** Every process the bench started, killed if the bench itself is interrupted or fails. */
const children = new Set<ChildProcess>();
/** Processes started by a child that outlive it when the child is killed (RabbitMQ's VM). */
const strays = new Set<number>();
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  try {
    execFileSync('epmd', ['-port', String(rabbitPorts.epmd), '-kill'], { stdio: 'ignore' });
  } catch {
    /* not running */
  }
}

/** Where `--profile` has Node targets write their V8 CPU profiles (on exit). */
export const profileDir = join(benchHome, 'profiles');

/**
 * Starts a target. The broker CLI is the working tree's unless `brokerCli` names another;
 * `profile` runs Node targets under `node --cpu-prof`.
 */
export function startTarget(
  name: TargetName,
  brokerCli?: string,
  profile = false,
): Promise<Target> {
  // One folder per target: Node writes one profile per thread (tsx's loader hooks have one).
  const flags = profile
    ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, `${name}-${Date.now()}`)]
    : [];
  switch (name) {
    case 'bare-ws':
      return startNodeTarget(
        name,
        join(repoRoot, 'bench/src/bare-ws-server.ts'),
        ['--port', '0'],
        'bench/src/bare-ws-server.ts (ws, broadcast to subscribers)',
        flags,
      );
    case 'stomp-broker': {
      const cli = brokerCli ?? join(repoRoot, 'stomp-broker/src/cli.ts');
      // the load client opens every session from 127.0.0.1 at once, and the figures stay
      // comparable with earlier runs' 10 s heart-beats (the CLI's own default is 1 s)
      const args = ['--port', '0', '--max-pending-per-address', '100000'];
      args.push('--heartbeat', '10000,10000');
      return startNodeTarget(name, cli, args, `stomp-broker CLI ${cli}`, flags);
    }
    case 'rabbitmq':
      return startRabbitMq();
  }
}
