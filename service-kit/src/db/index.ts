import { DataSource, type DataSourceOptions } from 'typeorm';

/** Where a service's tables are: one Postgres database, one schema of it. */
export interface DatabaseOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  poolSize: number;
  /** Schema of every table; the connections' search_path, so raw SQL finds the tables too. */
  schema: string;
}

/** The DATABASE_* settings of a service's config (service-kit's `databaseConfigShape`). */
export interface DatabaseConfig {
  DATABASE_HOST: string;
  DATABASE_PORT: number;
  DATABASE_USER: string;
  DATABASE_PASSWORD: string;
  DATABASE_NAME: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_SCHEMA: string;
}

/** A service's database, from its config. */
export function databaseOptions(config: DatabaseConfig): DatabaseOptions {
  return {
    host: config.DATABASE_HOST,
    port: config.DATABASE_PORT,
    username: config.DATABASE_USER,
    password: config.DATABASE_PASSWORD,
    database: config.DATABASE_NAME,
    poolSize: config.DATABASE_POOL_SIZE,
    schema: config.DATABASE_SCHEMA,
  };
}

/** pg connection settings for clients outside TypeORM's pool (LISTEN, the outbox relay). */
export function pgClientConfig(options: DatabaseOptions) {
  return {
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    database: options.database,
    options: `-c search_path=${options.schema}`,
  };
}

/** A service's TypeORM data source: schema by migrations only, never `synchronize`. */
export function postgresDataSource(
  options: DatabaseOptions,
  model: Pick<DataSourceOptions, 'entities' | 'migrations'>,
): DataSource {
  return new DataSource({
    type: 'postgres',
    host: options.host,
    port: options.port,
    username: options.username,
    password: options.password,
    database: options.database,
    entities: model.entities,
    migrations: model.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    schema: options.schema,
    poolSize: options.poolSize,
    extra: { connectionTimeoutMillis: 5000, options: `-c search_path=${options.schema}` },
  });
}

/**
 * For test suites: creates `db.schema` and runs every migration in it, through the service's
 * own `create` (its entities and migrations).
 */
export async function migratedDataSource(
  create: (db: DatabaseOptions) => DataSource,
  db: DatabaseOptions,
): Promise<DataSource> {
  const admin = create({ ...db, schema: 'public', poolSize: 1 });
  await admin.initialize();
  await admin.query(`CREATE SCHEMA ${db.schema}`);
  await admin.destroy();
  const source = create(db);
  await source.initialize();
  await source.runMigrations({ transaction: 'each' });
  return source;
}

export async function dropSchema(source: DataSource, schema: string): Promise<void> {
  await source.query(`DROP SCHEMA ${schema} CASCADE`);
}
