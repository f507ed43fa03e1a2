import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import { endpoints } from '../endpoints';
import { dataDir, logFile, pidFile } from '../paths';
import { startDaemon } from '../process';
import { InfraError } from '../report';
import type { InfraServer } from './server';

const { host } = endpoints.redis;
const binary = '/usr/bin/redis-server';

/** PING over a raw socket: true when the answer is +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export interface RedisOptions {
  port: number;
  /** Its working folder, pid file and log (a scratch Redis in tests uses its own); made on start. */
  files(): { dir: string; pidPath: string; logPath: string };
}

/** A Redis server on loopback; `redis` is the shared one, tests make scratch ones on other ports. */
export function redisServer(options: RedisOptions): InfraServer {
  const { port } = options;
  return {
    name: 'redis',
    address: `redis://${host}:${port}`,
    startTimeoutMs: 20_000,
    stopSignal: 'SIGTERM',
    stopGraceMs: 10_000,
    healthy: () => ping(port),
    async start() {
      if (!existsSync(binary)) {
        throw new InfraError('redis', `${binary} is missing`, 'apt-get install redis-server');
      }
      const { dir, pidPath, logPath } = options.files();
      // Redis is a cache and a coordinator here, never the only copy: no snapshots, no AOF.
      return startDaemon({
        command: binary,
        args: [
          '--bind',
          host,
          '--port',
          String(port),
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
        ],
        logPath,
        pidPath,
      });
    },
  };
}

export const redis: InfraServer = redisServer({
  port: endpoints.redis.port,
  files: () => ({ dir: dataDir('redis'), pidPath: pidFile('redis'), logPath: logFile('redis') }),
});
