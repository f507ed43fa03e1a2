import { ensureDownloads } from './downloads';
import { kafka } from './servers/kafka';
import { keycloak } from './servers/keycloak';
import { postgres } from './servers/postgres';
import { redis } from './servers/redis';
import type { InfraServer, ServerName } from './servers/server';
import { logFile, pidFile } from './paths';
import { inspect, nextStep, readPidRecord, type Inspection, type PidRecord } from './liveness';
import { forgetPid, stopProcess } from './process';
import { InfraError, say } from './report';
import { waitUntilHealthy } from './wait';

export const servers: Record<ServerName, InfraServer> = { postgres, redis, kafka, keycloak };
export const allServers = Object.keys(servers) as ServerName[];

export interface UpResult {
  /** The servers this call started (and so the ones its caller should stop). */
  started: ServerName[];
  reused: ServerName[];
}

/** Where a server's pid file and log are; the shared servers' live under .infra. */
export interface ServerFiles {
  pidPath: string;
  logPath: string;
}

const filesOf = (server: InfraServer): ServerFiles => ({
  pidPath: pidFile(server.name),
  logPath: logFile(server.name),
});

/** How long a live but unhealthy server past its start window gets before it is restarted. */
const graceMs = 15_000;

/** The process a pid file names, with what became of it; undefined without a pid file. */
function recorded(pidPath: string): ({ pid: number; record: PidRecord } & Inspection) | undefined {
  const record = readPidRecord(pidPath);
  return record && { pid: record.pid, record, ...inspect(record) };
}

/** The pid of a server we started, if that very process is still running. */
function ourRunningPid(pidPath: string): number | undefined {
  const found = recorded(pidPath);
  return found?.state === 'running' ? found.pid : undefined;
}

/**
 * Brings one server up (see `up`), deciding by health and by what became of the recorded
 * process (`nextStep` in liveness.ts), never by the mere existence of a pid file. Exported for
 * tests that run a scratch server.
 */
export async function upServer(
  server: InfraServer,
  files: ServerFiles = filesOf(server),
): Promise<'started' | 'reused'> {
  const fail = (why: string) =>
    new InfraError(
      server.name,
      why,
      `read the log; a port already in use (see \`ss -ltnp\`) or a broken data folder under .infra/data/${server.name} are the usual causes — remove that folder to start afresh`,
      files.logPath,
    );
  let waited = false;
  for (;;) {
    const found = recorded(files.pidPath);
    const step = nextStep({
      healthy: await server.healthy(),
      recorded: found,
      startTimeoutMs: server.startTimeoutMs,
      graceMs,
      waited,
    });
    switch (step.kind) {
      case 'reuse':
        await server.ensure?.();
        return 'reused';
      case 'wait':
        say(server.name, step.note);
        await waitUntilHealthy(server.name, () => server.healthy(), {
          timeoutMs: step.forMs,
          stillRunning: () => inspect(found!.record).state === 'running',
        });
        waited = true;
        continue;
      case 'fail':
        forgetPid(files.pidPath);
        throw fail(step.why);
      case 'restart':
        say(server.name, step.note);
        await stopProcess(found!.pid, server.stopSignal, server.stopGraceMs);
        break;
      case 'start':
        if (step.note) say(server.name, step.note);
        break;
    }
    forgetPid(files.pidPath);
    await startFresh(server, files, fail);
    return 'started';
  }
}

/** Spawns the server and waits until it is healthy; stops it and throws if it is not. */
async function startFresh(
  server: InfraServer,
  files: ServerFiles,
  fail: (why: string) => InfraError,
): Promise<void> {
  await server.start();
  const record = readPidRecord(files.pidPath);
  const running = () => record !== undefined && inspect(record).state === 'running';
  const ok = await waitUntilHealthy(server.name, () => server.healthy(), {
    timeoutMs: server.startTimeoutMs,
    stillRunning: running,
  });
  if (!ok) {
    const died = !running();
    if (!died) await stopProcess(record!.pid, server.stopSignal, server.stopGraceMs);
    forgetPid(files.pidPath);
    throw fail(
      died
        ? 'the process exited before it became healthy'
        : `not healthy after ${server.startTimeoutMs / 1000} s`,
    );
  }
  await server.ensure?.();
}

/**
 * Starts every named server that is not already healthy and waits for all of them.
 * Servers that are already up are reused as they are, so a second call is a quick no-op.
 */
export async function up(names: ServerName[] = allServers): Promise<UpResult> {
  const result: UpResult = { started: [], reused: [] };
  // Kafka and Keycloak come from one Maven download; fetch it once, before they start side by side.
  if (names.includes('kafka') || names.includes('keycloak')) ensureDownloads();
  const outcomes = await Promise.allSettled(
    names.map(async (name) => {
      const outcome = await upServer(servers[name]);
      result[outcome].push(name);
      say(name, `${outcome === 'started' ? 'started' : 'running'}: ${servers[name].address}`);
    }),
  );
  const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failures.length) {
    const error = failures[0]!.reason as Error;
    if (failures.length > 1)
      error.message += `\n(and ${failures.length - 1} more failure(s) above)`;
    for (const f of failures.slice(1))
      process.stderr.write(`[infra] ${(f.reason as Error).message}\n`);
    throw error;
  }
  return result;
}

/** Stops the named servers that infra started (known by their pid files). */
export async function down(names: ServerName[] = allServers): Promise<ServerName[]> {
  const stopped: ServerName[] = [];
  await Promise.all(
    names.map(async (name) => {
      const server = servers[name];
      const pid = ourRunningPid(pidFile(name));
      if (pid === undefined) {
        if (await server.healthy()) say(name, 'running, but not started by infra: left alone');
        forgetPid(pidFile(name));
        return;
      }
      say(name, `stopping (pid ${pid})`);
      await stopProcess(pid, server.stopSignal, server.stopGraceMs);
      forgetPid(pidFile(name));
      stopped.push(name);
      say(name, 'stopped');
    }),
  );
  return stopped;
}

export interface ServerStatus {
  name: ServerName;
  healthy: boolean;
  pid?: number;
  address: string;
  log: string;
}

export async function status(names: ServerName[] = allServers): Promise<ServerStatus[]> {
  return Promise.all(
    names.map(async (name) => ({
      name,
      healthy: await servers[name].healthy(),
      pid: ourRunningPid(pidFile(name)),
      address: servers[name].address,
      log: logFile(name),
    })),
  );
}
