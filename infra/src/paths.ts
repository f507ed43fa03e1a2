import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's root folder. */
export const repoRoot = resolve(__dirname, '../..');

/** Everything the servers write lives below this git-ignored folder. */
export const infraHome = process.env.ECHOPULSE_INFRA_HOME ?? join(repoRoot, '.infra');

export const cacheDir = join(infraHome, 'cache');
export const logsDir = join(infraHome, 'logs');

/** A server's data folder, created on demand. */
export function dataDir(server: string): string {
  const dir = join(infraHome, 'data', server);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A server's log file; its folder is created on demand. */
export function logFile(server: string): string {
  mkdirSync(logsDir, { recursive: true });
  return join(logsDir, `${server}.log`);
}

/** Where the pid of a server we started is remembered. */
export function pidFile(server: string): string {
  return join(dataDir(server), 'echopulse.pid');
}
