import { dropSchema, migratedDataSource, testDatabaseOptions } from '../src/testing/test-app';

describe('migrations on the real PostgreSQL', () => {
  it('run up, down to nothing, and up again', async () => {
    const db = testDatabaseOptions();
    const source = await migratedDataSource(db);
    try {
      const tables = async () =>
        (
          await source.query(
            `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
            [db.schema],
          )
        ).map((r: { table_name: string }) => r.table_name);
      expect(await tables()).toEqual(
        expect.arrayContaining([
          'bans',
          'channels',
          'guilds',
          'invites',
          'members',
          'outbox',
          'roles',
          'users',
        ]),
      );
      expect(await source.showMigrations()).toBe(false);
      while ((await source.query(`SELECT count(*)::int AS n FROM migrations`))[0].n > 0) {
        await source.undoLastMigration({ transaction: 'each' });
      }
      expect(await tables()).toEqual(['migrations']);
      const again = await source.runMigrations({ transaction: 'each' });
      expect(again.map((m) => m.name)).toContain('InitialSchema1795353500000');
      // constraints live in the database: a guild name of one character is refused there too
      await source.query(`INSERT INTO users (id, username, display_name) VALUES ('u', 'u', 'u')`);
      await expect(
        source.query(`INSERT INTO guilds (id, name, owner_id) VALUES (1, 'x', 'u')`),
      ).rejects.toThrow(/check/i);
    } finally {
      await dropSchema(source, db.schema);
      await source.destroy();
    }
  });

  it('gives the @everyone roles of guilds made before ADD_REACTIONS that bit, as Discord has it', async () => {
    const db = testDatabaseOptions();
    const source = await migratedDataSource(db);
    try {
      const last = async () =>
        (await source.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name;
      while ((await last()) !== 'AddReactionsToEveryone1796500000000') {
        await source.undoLastMigration({ transaction: 'each' });
      }
      await source.undoLastMigration({ transaction: 'each' });
      // a guild as the code before the bit made it: @everyone 68609, a moderator role without it
      await source.query(`INSERT INTO users (id, username, display_name) VALUES ('u', 'u', 'u')`);
      await source.query(`INSERT INTO guilds (id, name, owner_id) VALUES (10, 'old', 'u')`);
      await source.query(
        `INSERT INTO roles (id, guild_id, name, position, permissions)
         VALUES (10, 10, '@everyone', 0, 68609), (11, 10, 'mods', 1, 8192)`,
      );
      await source.runMigrations({ transaction: 'each' });
      const perms = async () =>
        (await source.query(`SELECT id, permissions FROM roles ORDER BY id`)).map(
          (r: { id: string; permissions: string }) => [r.id, r.permissions],
        );
      expect(await perms()).toEqual([
        ['10', '68673'],
        ['11', '8192'],
      ]);
      // down: code from before the bit refuses it on read, so every role and overwrite loses it
      await source.query(
        `INSERT INTO channels (id, guild_id, type, name, position) VALUES (20, 10, 'text', 'c', 0)`,
      );
      await source.query(
        `INSERT INTO channel_overwrites (channel_id, target_id, type, allow, deny)
         VALUES (20, '11', 'role', 64, 1024), (20, 'u', 'member', 1024, 64)`,
      );
      await source.undoLastMigration({ transaction: 'each' });
      expect(await perms()).toEqual([
        ['10', '68609'],
        ['11', '8192'],
      ]);
      expect(
        await source.query(
          `SELECT target_id, allow, deny FROM channel_overwrites ORDER BY target_id`,
        ),
      ).toEqual([
        { target_id: '11', allow: '0', deny: '1024' },
        { target_id: 'u', allow: '1024', deny: '0' },
      ]);
    } finally {
      await dropSchema(source, db.schema);
      await source.destroy();
    }
  });
});
