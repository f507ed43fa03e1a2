import { ensureDownloads } from './downloads';
import { kafka } from './servers/kafka';
import { keycloak } from './servers/keycloak';
import { postgres } from './servers/postgres';
import { redis } from './servers/redis';
import type { InfraServer, ServerName } from './servers/server';
import { logFile, pidFile } from './paths';
import { forgetPid, isAlive, recordedPid, stopProcess } from './process';
import { InfraError, say } from './report';
import { waitUntilHealthy } from './wait';

export const servers: Record<ServerName, InfraServer> = { postgres, redis, kafka, keycloak };
export const allServers = Object.keys(servers) as ServerName[];

export interface UpResult {
  /** The servers this call started (and so the ones its caller should stop). */
  started: ServerName[];
  reused: ServerName[];
}

async function bringUp(server: InfraServer): Promise<'started' | 'reused'> {
  if (await server.healthy()) {
    await server.ensure?.();
    return 'reused';
  }
  const log = logFile(server.name);
  // A server we started earlier may still be booting: wait for it rather than start a second one.
  let pid = recordedPid(pidFile(server.name));
  let outcome: 'started' | 'reused' = 'reused';
  if (pid === undefined) {
    pid = await server.start();
    outcome = 'started';
  } else {
    say(server.name, `already starting (pid ${pid})`);
  }
  const running = pid;
  const ok = await waitUntilHealthy(server.name, () => server.healthy(), {
    timeoutMs: server.startTimeoutMs,
    stillRunning: () => isAlive(running),
  });
  if (!ok) {
    const died = !isAlive(running);
    if (!died) await stopProcess(running, server.stopSignal, server.stopGraceMs);
    forgetPid(pidFile(server.name));
    throw new InfraError(
      server.name,
      died
        ? 'the process exited before it became healthy'
        : `not healthy after ${server.startTimeoutMs / 1000} s`,
      `read the log; a port already in use (see \`ss -ltnp\`) or a broken data folder under .infra/data/${server.name} are the usual causes — remove that folder to start afresh`,
      log,
    );
  }
  await server.ensure?.();
  return outcome;
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
      const outcome = await bringUp(servers[name]);
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
      const pid = recordedPid(pidFile(name));
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
      pid: recordedPid(pidFile(name)),
      address: servers[name].address,
      log: logFile(name),
    })),
  );
}
