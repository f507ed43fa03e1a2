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
});
