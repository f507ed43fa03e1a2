import { Projection1796000000000 } from '../db/migrations/1796000000000-Projection';
import {
  dropSchema,
  migratedDataSource,
  testDatabaseOptions,
} from '../testing/projection-fixtures';

const TABLES = [
  'bans',
  'channel_overwrites',
  'channels',
  'guilds',
  'member_roles',
  'members',
  'processed_events',
  'roles',
];

describe('Projection migration on the real PostgreSQL', () => {
  it('goes down to nothing of its own and up again, in the configured schema', async () => {
    const db = testDatabaseOptions();
    const source = await migratedDataSource(db);
    const runner = source.createQueryRunner();
    const tables = async () =>
      (
        await source.query(
          `SELECT table_name FROM information_schema.tables
            WHERE table_schema = $1 AND table_name = ANY ($2) ORDER BY 1`,
          [db.schema, TABLES],
        )
      ).map((r: { table_name: string }) => r.table_name);
    try {
      expect(await tables()).toEqual(TABLES);
      const migration = new Projection1796000000000();
      await migration.down(runner);
      expect(await tables()).toEqual([]);
      await migration.up(runner);
      expect(await tables()).toEqual(TABLES);
      // Foreign keys cascade from the guild.
      await source.query(
        `INSERT INTO guilds (id, name, owner_id, created_at) VALUES (1, 'g', 'u', now())`,
      );
      await source.query(
        `INSERT INTO channels (id, guild_id, type, name, position) VALUES (2, 1, 'text', 'c', 0)`,
      );
      await source.query(
        `INSERT INTO members (guild_id, user_id, username, display_name, joined_at)
         VALUES (1, 'u', 'u', 'U', now())`,
      );
      await source.query(`DELETE FROM guilds WHERE id = 1`);
      expect(await source.query(`SELECT 1 FROM channels UNION ALL SELECT 1 FROM members`)).toEqual(
        [],
      );
      await expect(
        source.query(
          `INSERT INTO channels (id, guild_id, type, name, position) VALUES (3, 99, 'text', 'c', 0)`,
        ),
      ).rejects.toThrow(/foreign key/i);
    } finally {
      await runner.release();
      await dropSchema(source, db.schema);
      await source.destroy();
    }
  });
});
