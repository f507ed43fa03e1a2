import { isSnowflake } from '@echopulse/service-kit';

/** True for an id that may name a row: a snowflake within Postgres' bigint. */
export const isRowId = (id: string): boolean => isSnowflake(id);
