// A Redis of its own (another port, a temporary folder) for tests of `up` that must not touch the
// shared servers. Run as a script, it brings the scratch Redis up and exits, the way
// `npm run infra:up` leaves its servers behind: `tsx scratch-redis.ts <port> <folder>`.
import { join } from 'node:path';
import { upServer, type ServerFiles } from '../../src/infra';
import { redisServer } from '../../src/servers/redis';
import type { InfraServer } from '../../src/servers/server';

export function scratchRedis(
  port: number,
  dir: string,
): { server: InfraServer; files: ServerFiles } {
  const files = { pidPath: join(dir, 'echopulse.pid'), logPath: join(dir, 'redis.log') };
  return { server: redisServer({ port, files: () => ({ dir, ...files }) }), files };
}

if (require.main === module) {
  const [port, dir] = process.argv.slice(2);
  const { server, files } = scratchRedis(Number(port), dir!);
  upServer(server, files).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
