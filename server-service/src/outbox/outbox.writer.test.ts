import { serverEvent } from '@echopulse/guild-contracts';
import {
  createOutboxSchema,
  interleavedEvents,
  memberJoined,
  newGuildId,
  type OutboxSchema,
} from '../../test/outbox/outbox-testing';

// jest takes testTimeout from the root config in a multi-project run, not from the project's.
jest.setTimeout(60_000);

describe('the CreateOutbox migration', () => {
  it('goes up and down and up again', async () => {
    const db = await createOutboxSchema(false);
    const objects = async () =>
      (
        await db.query<{ kind: string; name: string }>(
          `SELECT 'table' AS kind, tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename = 'outbox'
           UNION ALL SELECT 'index', indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'outbox'
           UNION ALL SELECT 'function', p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = $1 AND p.proname = 'outbox_notify'
           UNION ALL SELECT 'trigger', t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal
           ORDER BY 1, 2`,
          [db.schema],
        )
      ).map((o) => `${o.kind}:${o.name}`);
    try {
      expect(await objects()).toEqual([]);
      await db.dataSource.runMigrations({ transaction: 'each' });
      expect(await objects()).toEqual([
        'function:outbox_notify',
        'index:outbox_pkey',
        'index:outbox_position_key',
        'index:outbox_published_at_idx',
        'index:outbox_unpublished_idx',
        'table:outbox',
        'trigger:outbox_notify_trg',
      ]);
      await db.dataSource.undoLastMigration({ transaction: 'each' });
      expect(await objects()).toEqual([]);
      await db.dataSource.runMigrations({ transaction: 'each' });
      expect(await objects()).toHaveLength(7);
    } finally {
      await db.drop();
    }
  });
});

describe('OutboxWriter', () => {
  let db: OutboxSchema;
  beforeAll(async () => {
    db = await createOutboxSchema();
  });
  afterAll(() => db.drop());

  const rows = (ids: string[]) =>
    db.query<{
      id: string;
      position: string;
      guild_id: string;
      type: string;
      envelope: unknown;
      created_at: Date;
      published_at: Date | null;
    }>('SELECT * FROM outbox WHERE id = ANY($1::uuid[]) ORDER BY position', [ids]);

  it('stores each event with its guild, type and whole envelope, unpublished, in append order', async () => {
    const guilds = [newGuildId(), newGuildId()];
    const first = interleavedEvents(guilds, 3);
    const single = memberJoined(guilds[0]!, 99);
    const last = interleavedEvents(guilds, 2, 200);
    await db.dataSource.transaction(async (manager) => {
      await db.writer.appendAll(manager, first);
      await db.writer.append(manager, single);
      await db.writer.appendAll(manager, last);
      await db.writer.appendAll(manager, []);
    });
    const all = [...first, single, ...last];
    const stored = await rows(all.map((e) => e.id));
    expect(stored.map((r) => r.id)).toEqual(all.map((e) => e.id));
    const positions = stored.map((r) => BigInt(r.position));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    for (const [i, event] of all.entries()) {
      expect(stored[i]).toMatchObject({
        guild_id: event.subject.slice('guilds/'.length),
        type: event.type,
        envelope: event,
        published_at: null,
      });
      expect(stored[i]!.created_at).toBeInstanceOf(Date);
    }
  });

  it('leaves no trace of a rolled-back transaction', async () => {
    const event = memberJoined(newGuildId(), 1);
    await expect(
      db.dataSource.transaction(async (manager) => {
        await db.writer.append(manager, event);
        throw new Error('domain change failed');
      }),
    ).rejects.toThrow('domain change failed');
    expect(await rows([event.id])).toEqual([]);
  });

  it('refuses to write outside a transaction, and writes nothing', async () => {
    const event = memberJoined(newGuildId(), 1);
    await expect(db.writer.append(db.dataSource.manager, event)).rejects.toThrow(
      /active transaction/,
    );
    await expect(db.writer.appendAll(db.dataSource.manager, [event])).rejects.toThrow(
      /active transaction/,
    );
    expect(await rows([event.id])).toEqual([]);
  });

  it('refuses the same event twice, failing the whole transaction', async () => {
    const guildId = newGuildId();
    const event = serverEvent('guild.deleted', guildId, { guildId });
    const other = memberJoined(guildId, 2);
    await expect(
      db.dataSource.transaction(async (manager) => {
        await db.writer.append(manager, other);
        await db.writer.append(manager, event);
        await db.writer.append(manager, event);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await rows([event.id, other.id])).toEqual([]);
  });
});
