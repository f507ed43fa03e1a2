import 'reflect-metadata';
import { join } from 'node:path';
import { postgresDataSource, type DatabaseOptions } from '@echopulse/service-kit/db';
import type { DataSource } from 'typeorm';

const ext = __filename.endsWith('.ts') ? 'ts' : 'js';

/** Every module's `*.entity.ts` under src/ (dist/ when built): modules register by file name. */
const entitiesGlob = join(__dirname, '..', '**', `*.entity.${ext}`);

/** Every migration beside this file (`<epoch-ms>-PascalName`), ordered by its timestamp. */
const migrationsGlob = join(__dirname, 'migrations', `*-*.${ext}`);

export { pgClientConfig, type DatabaseOptions } from '@echopulse/service-kit/db';

/** The TypeORM data source of chat-service's entities and migrations. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return postgresDataSource(options, { entities: [entitiesGlob], migrations: [migrationsGlob] });
}
