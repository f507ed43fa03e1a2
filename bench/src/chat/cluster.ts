// The system under test: one server-service and two chat-service instances, each its own Node
// process from the built dist/ (so RSS and CPU are read per process), sharing one Postgres schema
// per service, one Redis key prefix and Kafka topics of their own — all created for this run and
// removed after it, so a bench never touches the dev data of `npm start`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { createClient } from 'redis';
import { endpoints } from '@echopulse/infra';
import { repoRoot } from '../targets';

export interface ServiceProcess {
  name: string;
  baseUrl: string;
  wsUrl?: string;
  child: ChildProcess;
  pid: number;
}

export interface Cluster {
  /** Absent when started with `server: false` (a test that publishes server events itself). */
  server?: ServiceProcess;
  chats: ServiceProcess[];
  /** Names of this run's schema, Redis prefix and Kafka topics. */
  run: string;
  serverTopic: string;
  chatTopic: string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** server-service on basePort, chat-service instance n on basePort + n. */
  basePort: number;
  chatInstances?: number;
  /** Start server-service too (default true). */
  server?: boolean;
  chatEnv?: Record<string, string>;
  log: (line: string) => void;
  /** Keep each process's own log (stdout) as `<logDir>/<name>.log` (default: dropped). */
  logDir?: string;
}

const databases = { server: 'echopulse_server', chat: 'echopulse_chat' };

async function withPg<T>(database: string, work: (c: Client) => Promise<T>): Promise<T> {
  const { host, port, user, password } = endpoints.postgres;
  const client = new Client({ host, port, user, password, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Deletes a run's Redis keys (history, presence, limits, owner hints): they would stay for days. */
async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = createClient({ url: endpoints.redis.url });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
      if (keys.length) await redis.unlink(keys);
  } finally {
    await redis.quit();
  }
}

/** Builds server-service and chat-service (tsoa generation + tsc) unless `skip`. */
export function build(log: (line: string) => void, skip: boolean): void {
  const missing = ['server-service', 'chat-service'].filter(
    (w) => !existsSync(join(repoRoot, w, 'dist/main.js')),
  );
  if (skip && missing.length === 0) return;
  log('building server-service and chat-service (npm run build)…');
  execFileSync('npm', ['run', 'build', '-w', 'server-service', '-w', 'chat-service'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitReady(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null)
      throw new Error(`${service.name} exited with code ${service.child.exitCode}`);
    try {
      const res = await fetch(`${service.baseUrl}/health/ready`, {
        signal: AbortSignal.timeout(2000),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs / 1000} s`);
}

function spawnService(
  name: string,
  workspace: string,
  port: number,
  env: Record<string, string>,
  log: (line: string) => void,
  logDir: string | undefined,
): ServiceProcess {
  let stdout: 'ignore' | number = 'ignore';
  if (logDir) {
    mkdirSync(logDir, { recursive: true });
    stdout = openSync(join(logDir, `${name.replace(/\W+/g, '-')}.log`), 'w');
  }
  const child = spawn(process.execPath, [join(repoRoot, workspace, 'dist/main.js')], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', stdout, 'pipe'],
  });
  if (typeof stdout === 'number') closeSync(stdout); // the child has its own copy
  let tail = '';
  child.stderr!.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL')
      log(`${name} exited (${code ?? signal}); its last output:\n${tail}`);
  });
  return {
    name,
    baseUrl: `http://127.0.0.1:${port}`,
    ...(workspace === 'chat-service' ? { wsUrl: `ws://127.0.0.1:${port}/ws` } : {}),
    child,
    pid: child.pid!,
  };
}

function stopChild(child: ChildProcess, graceMs = 8000): Promise<void> {
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

/** Starts the cluster and waits until every process is ready. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { basePort, log, logDir, chatEnv = {} } = options;
  const instances = options.chatInstances ?? 2;
  const withServer = options.server ?? true;
  const run = `bench_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const serverTopic = `${run}.server.events`;
  const chatTopic = `${run}.chat.messages`;
  for (const database of Object.values(databases))
    await withPg(database, (c) => c.query(`CREATE SCHEMA ${run}`));
  const shared = {
    DATABASE_SCHEMA: run,
    REDIS_KEY_PREFIX: `${run}:`,
    SERVER_EVENTS_TOPIC: serverTopic,
    KEYCLOAK_ISSUER: endpoints.keycloak.issuer,
  };
  const server = !withServer
    ? undefined
    : spawnService(
        'server-service',
        'server-service',
        basePort,
        {
          ...shared,
          PORT: String(basePort),
          HOST: '127.0.0.1',
          PUBLIC_URL: `http://127.0.0.1:${basePort}`,
          DATABASE_NAME: databases.server,
          WORKER_ID: '900',
          RATE_LIMIT_WRITES: '1000000',
        },
        log,
        logDir,
      );
  const chat = (n: number) =>
    spawnService(
      `chat-service #${n}`,
      'chat-service',
      basePort + n,
      {
        ...shared,
        PORT: String(basePort + n),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${basePort + n}`,
        DATABASE_NAME: databases.chat,
        CHAT_MESSAGES_TOPIC: chatTopic,
        KAFKA_GROUP_PREFIX: `${run}.`,
        WORKER_ID: String(900 + n),
        // every simulated user connects from 127.0.0.1, many at once
        WS_MAX_PENDING_PER_IP: '100000',
        ...chatEnv,
      },
      log,
      logDir,
    );
  const chats: ServiceProcess[] = [];
  const all = () => [...(server ? [server] : []), ...chats];
  const stop = async () => {
    await Promise.all(all().map((s) => stopChild(s.child)));
    const kafka = new Kafka({ brokers: [...endpoints.kafka.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(run));
      if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
    } catch (error) {
      log(`could not delete the run's Kafka topics: ${String(error)}`);
    } finally {
      await admin.disconnect();
    }
    await dropRedisKeys(`${run}:`).catch((error: unknown) =>
      log(`could not delete the run's Redis keys: ${String(error)}`),
    );
    for (const database of Object.values(databases))
      await withPg(database, (c) => c.query(`DROP SCHEMA IF EXISTS ${run} CASCADE`)).catch(
        (error: unknown) => log(`could not drop schema ${run}: ${String(error)}`),
      );
  };
  try {
    log(
      `starting ${server ? 'server-service and ' : ''}${instances} chat-service instance(s) (run ${run})…`,
    );
    // One at a time, so that two chat instances never run the schema's migrations at once.
    if (server) await waitReady(server, 90_000);
    for (let n = 1; n <= instances; n++) {
      chats.push(chat(n));
      await waitReady(chats[n - 1]!, 90_000);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...(server ? { server } : {}), chats, run, serverTopic, chatTopic, stop };
}
