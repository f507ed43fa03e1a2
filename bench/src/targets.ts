import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../..');

/** A server under test, started as its own process so its RSS can be read. */
export interface Target {
  name: string;
  url: string;
  pid: number;
  /** login/passcode the target wants on CONNECT. */
  credentials: Record<string, string>;
  stop(): Promise<void>;
}

export type TargetName = 'bare-ws' | 'stomp-broker' | 'rabbitmq';

/** Resident memory of a process in KiB, from /proc. */
export function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** Runs a Node script with tsx in one process and waits for the ws:// URL it prints. */
async function nodeTarget(name: string, script: string, args: string[]): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /(ws:\/\/\S+)/.exec(out);
      if (match) resolveUrl(match[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`${name} exited (${code}) before listening: ${out}`)),
    );
  });
  return { name, url, pid: child.pid!, credentials: {}, stop: () => stopChild(child) };
}

const portOpen = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

/**
 * RabbitMQ 3.x from Debian's rabbitmq-server with its Web-STOMP plugin, as a plain process with
 * its own ports, data and logs under .infra/bench/rabbitmq (never the system's service).
 */
async function rabbitTarget(): Promise<Target> {
  const bin = '/usr/lib/rabbitmq/bin/rabbitmq-server';
  if (!existsSync(bin)) {
    throw new Error(
      'RabbitMQ is not installed: apt-get install rabbitmq-server (its Web-STOMP plugin is included)',
    );
  }
  const dir = join(repo, '.infra/bench/rabbitmq');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ports = { amqp: 25672, stomp: 25674, dist: 25680 };
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    `listeners.tcp.default = 127.0.0.1:${ports.amqp}\nweb_stomp.tcp.port = ${ports.stomp}\nweb_stomp.tcp.ip = 127.0.0.1\nloopback_users.guest = true\n`,
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_web_stomp].\n');
  const pidFile = join(dir, 'pid');
  const child = spawn(bin, [], {
    cwd: dir,
    stdio: 'ignore',
    detached: true,
    env: {
      ...process.env,
      RABBITMQ_NODENAME: 'echopulse-bench@localhost',
      RABBITMQ_DIST_PORT: String(ports.dist),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_PID_FILE: pidFile,
      ERL_EPMD_ADDRESS: '127.0.0.1',
    },
  });
  const deadline = Date.now() + 60_000;
  while (!(await portOpen(ports.stomp))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`RabbitMQ did not open Web-STOMP on ${ports.stomp}; see ${join(dir, 'log')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return {
    name: 'rabbitmq',
    url: `ws://127.0.0.1:${ports.stomp}/ws`,
    pid,
    credentials: { login: 'guest', passcode: 'guest' },
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const until = Date.now() + 15_000;
      while (Date.now() < until && existsSync(`/proc/${pid}`))
        await new Promise((r) => setTimeout(r, 100));
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      spawn('epmd', ['-kill'], { stdio: 'ignore' }).on('error', () => undefined);
    },
  };
}

export function startTarget(name: TargetName): Promise<Target> {
  switch (name) {
    case 'bare-ws':
      return nodeTarget(name, join(repo, 'bench/src/bare-ws-server.ts'), ['0']);
    case 'stomp-broker':
      return nodeTarget(name, join(repo, 'stomp-broker/src/cli.ts'), ['--port', '0']);
    case 'rabbitmq':
      return rabbitTarget();
  }
}
