import 'reflect-metadata';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { endpoints } from '../src/endpoints';

/** A reversible migration of the shape the services use: `<epoch-ms>-PascalName`. */
class CreateInfraProbe1763800000000 implements MigrationInterface {
  name = 'CreateInfraProbe1763800000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE infra_probe (id bigint PRIMARY KEY, label text NOT NULL CHECK (length(label) > 0))`,
    );
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE infra_probe`);
  }
}

const tableExists = async (source: DataSource) =>
  (await source.query(`SELECT to_regclass('public.infra_probe') AS t`))[0].t !== null;

describe('TypeORM on the real PostgreSQL', () => {
  const { host, port, user, password } = endpoints.postgres;
  const source = new DataSource({
    type: 'postgres',
    host,
    port,
    username: user,
    password,
    database: 'echopulse_infra_test',
    migrations: [CreateInfraProbe1763800000000],
    migrationsTableName: 'infra_test_migrations',
  });

  beforeAll(async () => {
    await source.initialize();
    // Start from a clean slate if an earlier run was interrupted.
    await source.query('DROP TABLE IF EXISTS infra_probe');
    await source.query('DROP TABLE IF EXISTS infra_test_migrations');
  });
  afterAll(() => source.destroy());

  it('runs a migration up and down', async () => {
    const applied = await source.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(['CreateInfraProbe1763800000000']);
    expect(await tableExists(source)).toBe(true);
    await source.query(`INSERT INTO infra_probe (id, label) VALUES (1, 'one')`);
    await expect(
      source.query(`INSERT INTO infra_probe (id, label) VALUES (2, '')`),
    ).rejects.toThrow(/check/i);
    expect(await source.showMigrations()).toBe(false);

    await source.undoLastMigration({ transaction: 'each' });
    expect(await tableExists(source)).toBe(false);
    expect(await source.showMigrations()).toBe(true);
  });
});
