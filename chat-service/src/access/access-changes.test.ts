import { Writable } from 'node:stream';
import { serverEvent } from '@echopulse/guild-contracts';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { pgClientConfig } from '../db/data-source';
import { Projector } from '../projection/projector';
import {
  dropSchema,
  guildCreated,
  migratedDataSource,
  snowflake,
  testDatabaseOptions,
  testLogger,
  testUser,
} from '../testing/projection-fixtures';
import { AccessChangeListener, parseAccessChange } from './access-changes';
import type { AccessChange } from './channel-access';

const db = testDatabaseOptions();
let source: DataSource;
let listener: AccessChangeListener;
/** Every change heard, in order (other suites share the database's NOTIFY, so filter by guild). */
const heard: AccessChange[] = [];
const waiters: { guildId: string; resolve: (c: AccessChange) => void }[] = [];

/** The next change of this guild (already heard or still to come). */
function nextChange(guildId: string): Promise<AccessChange> {
  const i = heard.findIndex((c) => c.guildId === guildId);
  if (i >= 0) return Promise.resolve(heard.splice(i, 1)[0]!);
  return new Promise((resolve) => waiters.push({ guildId, resolve }));
}

beforeAll(async () => {
  source = await migratedDataSource(db);
  listener = new AccessChangeListener({
    pg: pgClientConfig(db),
    logger: testLogger(),
    backoff: { initialMs: 20, maxMs: 200 },
  });
  listener.subscribe((change) => {
    const w = waiters.findIndex((x) => x.guildId === change.guildId);
    if (w >= 0) waiters.splice(w, 1)[0]!.resolve(change);
    else heard.push(change);
  });
  await listener.start();
});
afterAll(async () => {
  await listener.stop();
  await dropSchema(source, db.schema);
  await source.destroy();
});

const notify = (payload: string) => source.query(`SELECT pg_notify('chat_access', $1)`, [payload]);

describe('AccessChangeListener', () => {
  it("hears the projector's changes, only once its transaction commits", async () => {
    const projector = new Projector(source, testLogger());
    const alice = testUser('alice');
    const bob = testUser('bob');
    const g = guildCreated(alice, [bob]);
    await projector.apply(g.event);
    const kicked = projector.apply(
      serverEvent('member.kicked', g.guildId, { guildId: g.guildId, userId: bob.id }),
    );
    expect(await nextChange(g.guildId)).toEqual({
      guildId: g.guildId,
      userId: bob.id,
      cause: 'member.kicked',
    });
    expect((await kicked).status).toBe('applied');

    // A rolled-back notification never arrives; the next committed one does.
    const rolledBack = snowflake();
    const committed = snowflake();
    const runner = source.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT pg_notify('chat_access', $1)`, [
        JSON.stringify({ guildId: rolledBack, cause: 'test' }),
      ]);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    await notify(JSON.stringify({ guildId: committed, cause: 'test', channelId: '5' }));
    expect(await nextChange(committed)).toEqual({
      guildId: committed,
      cause: 'test',
      channelId: '5',
    });
    expect(heard.find((c) => c.guildId === rolledBack || c.guildId === committed)).toBeUndefined();
  });

  it('ignores malformed payloads and keeps listening', async () => {
    const guildId = snowflake();
    await notify('not json');
    await notify(JSON.stringify({ guildId, cause: 7 }));
    await notify(JSON.stringify({ guildId, cause: 'x', userId: ['a'] }));
    await notify(JSON.stringify({ guildId, cause: 'valid' }));
    expect(await nextChange(guildId)).toEqual({ guildId, cause: 'valid' });
    expect(heard.find((c) => c.guildId === guildId)).toBeUndefined();
    expect(parseAccessChange(undefined)).toBeUndefined();
    expect(parseAccessChange('null')).toBeUndefined();
  });

  it('reconnects when its connection is killed, asks for a resync, and hears changes again', async () => {
    const resynced = new Promise<void>((resolve) => {
      const off = listener.onResync(() => {
        off();
        resolve();
      });
    });
    const pid = listener.backendPid;
    expect(pid).toEqual(expect.any(Number));
    const [{ ok }] = await source.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE pid = $1 AND application_name = 'chat-service-access-listener'`,
      [pid],
    );
    expect(ok).toBe(true);
    await resynced;
    expect(listener.connected).toBe(true);
    expect(listener.backendPid).not.toBe(pid);
    const guildId = snowflake();
    await notify(JSON.stringify({ guildId, cause: 'after-reconnect' }));
    expect(await nextChange(guildId)).toEqual({ guildId, cause: 'after-reconnect' });
  });

  it('keeps retrying while Postgres is unreachable, logging each attempt, until stopped', async () => {
    // Three logged retries prove it keeps trying; start() must not have resolved meanwhile.
    let warnings = 0;
    let retried!: () => void;
    const thrice = new Promise<void>((resolve) => (retried = resolve));
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          if (chunk.toString().includes('reconnecting') && ++warnings === 3) retried();
          done();
        },
      }),
    );
    const unreachable = new AccessChangeListener({
      pg: { ...pgClientConfig(db), port: 1 },
      logger,
      backoff: { initialMs: 10, maxMs: 50 },
    });
    let started = false;
    const start = unreachable.start().then(() => (started = true));
    await thrice;
    expect(started).toBe(false);
    await unreachable.stop();
    await start;
    expect(unreachable.connected).toBe(false);
  });
});
