import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import { endpoints } from '../endpoints';
import { dataDir, logFile, pidFile } from '../paths';
import { startDaemon } from '../process';
import { InfraError } from '../report';
import type { InfraServer } from './server';

const { host, port } = endpoints.redis;
const binary = '/usr/bin/redis-server';

/** PING over a raw socket: true when the answer is +PONG. */
function ping(): Promise<boolean> {
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

export const redis: InfraServer = {
  name: 'redis',
  address: endpoints.redis.url,
  startTimeoutMs: 20_000,
  stopSignal: 'SIGTERM',
  stopGraceMs: 10_000,
  healthy: ping,
  async start() {
    if (!existsSync(binary)) {
      throw new InfraError('redis', `${binary} is missing`, 'apt-get install redis-server');
    }
    // Redis is a cache and a coordinator here, never the only copy: no snapshots, no AOF.
    return startDaemon({
      command: binary,
      args: [
        '--bind',
        host,
        '--port',
        String(port),
        '--dir',
        dataDir('redis'),
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      logPath: logFile('redis'),
      pidPath: pidFile('redis'),
    });
  },
};
