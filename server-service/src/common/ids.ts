import { isSnowflake } from '@echopulse/service-kit';

/** True for an id that may name a row: a snowflake within Postgres' bigint. */
export const isRowId = (id: string): boolean => isSnowflake(id);

/** The rows of an UPDATE/DELETE … RETURNING: TypeORM's postgres driver answers those as [rows, count]. */
export function returnedRows<T>(result: unknown): T[] {
  const r = result as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}
