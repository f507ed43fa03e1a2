import type { Principal, SnowflakeGenerator } from '@echopulse/service-kit';
import type { Database } from '../db/database';

/** What every domain service needs. */
export interface ServiceDeps {
  db: Database;
  ids: SnowflakeGenerator;
}

export type Actor = Principal;
