import { chownSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { databases, endpoints } from '../endpoints';
import { dataDir, logFile, pidFile } from '../paths';
import { runOnce, startDaemon } from '../process';
import { InfraError, say } from '../report';
import type { InfraServer } from './server';

const { host, port, user, password } = endpoints.postgres;
/** PostgreSQL refuses to run as root; as root we run it as Debian's `postgres` user. */
const osUser = process.getuid?.() === 0 ? 'postgres' : undefined;

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin/postgres')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) {
    throw new InfraError(
      'postgres',
      'no PostgreSQL server binaries under /usr/lib/postgresql',
      'apt-get install postgresql',
    );
  }
  return join(base, newest, 'bin');
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory())
    for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(runOnce('id', ['-u', 'postgres']).trim());
  const gid = Number(runOnce('id', ['-g', 'postgres']).trim());
  return { uid, gid };
}

async function query(database: string, sql: string): Promise<unknown[]> {
  const client = new Client({
    host,
    port,
    user,
    password,
    database,
    connectionTimeoutMillis: 2000,
  });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

export const postgres: InfraServer = {
  name: 'postgres',
  address: `postgres://${user}:${password}@${host}:${port}/<database>`,
  startTimeoutMs: 60_000,
  stopSignal: 'SIGINT', // "fast" shutdown: roll back open transactions, checkpoint, exit
  stopGraceMs: 30_000,

  async healthy() {
    try {
      await query('postgres', 'SELECT 1');
      return true;
    } catch {
      return false;
    }
  },

  async start() {
    const root = dataDir('postgres');
    const pgdata = join(root, 'pgdata');
    const bin = binDir();
    if (osUser) {
      const { uid, gid } = postgresIds();
      chownSync(root, uid, gid);
    }
    if (!existsSync(join(pgdata, 'PG_VERSION'))) {
      say('postgres', `initdb ${pgdata}`);
      const pwfile = join(root, 'pwfile');
      writeFileSync(pwfile, password, { mode: 0o600 });
      if (osUser) {
        const { uid, gid } = postgresIds();
        chownTree(root, uid, gid);
      }
      runOnce(
        join(bin, 'initdb'),
        [
          '-D',
          pgdata,
          '-U',
          user,
          `--pwfile=${pwfile}`,
          '--auth-host=scram-sha-256',
          '--auth-local=trust',
          '-E',
          'UTF8',
          '--locale=C.UTF-8',
        ],
        { user: osUser },
      );
    }
    const log = logFile('postgres');
    if (osUser) {
      const { uid, gid } = postgresIds();
      if (!existsSync(log)) writeFileSync(log, '');
      chownSync(log, uid, gid);
    }
    return startDaemon({
      command: join(bin, 'postgres'),
      args: [
        '-D',
        pgdata,
        '-c',
        `listen_addresses=${host}`,
        '-c',
        `port=${port}`,
        '-c',
        `unix_socket_directories=${pgdata}`,
        '-c',
        'max_connections=300',
        // Per-statement time and counts for `npm run bench:chat` and anyone profiling.
        '-c',
        'shared_preload_libraries=pg_stat_statements',
      ],
      logPath: log,
      pidPath: pidFile('postgres'),
      user: osUser,
    });
  },

  async ensure() {
    const existing = (await query('postgres', 'SELECT datname FROM pg_database')) as {
      datname: string;
    }[];
    const have = new Set(existing.map((r) => r.datname));
    for (const db of databases) {
      if (have.has(db)) continue;
      await query('postgres', `CREATE DATABASE ${db}`);
      say('postgres', `created database ${db}`);
    }
  },
};
