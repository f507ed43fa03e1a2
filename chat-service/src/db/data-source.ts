import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

const ext = __filename.endsWith('.ts') ? 'ts' : 'js';

/** Every module's `*.entity.ts` under src/ (dist/ when built): modules register by file name. */
const entitiesGlob = join(__dirname, '..', '**', `*.entity.${ext}`);

/** Every migration beside this file (`<epoch-ms>-PascalName`), ordered by its timestamp. */
const migrationsGlob = join(__dirname, 'migrations', `*-*.${ext}`);

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

/** pg settings for clients outside TypeORM's pool (LISTEN for access changes). */
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

/** The TypeORM data source: schema by migrations only, never `synchronize`. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    host: options.host,
    port: options.port,
    username: options.username,
    password: options.password,
    database: options.database,
    entities: [entitiesGlob],
    migrations: [migrationsGlob],
    migrationsTableName: 'migrations',
    synchronize: false,
    schema: options.schema,
    poolSize: options.poolSize,
    extra: { connectionTimeoutMillis: 5000, options: `-c search_path=${options.schema}` },
  });
}
