import { randomBytes } from 'node:crypto';
import { endpoints } from '../endpoints';

/** A schema of its own in `database` for each suite, so parallel suites never meet. */
export function databaseForSuite(database: string) {
  const { host, port, user, password } = endpoints.postgres;
  return {
    host,
    port,
    username: user,
    password,
    database,
    poolSize: 5,
    schema: `t_${randomBytes(6).toString('hex')}`,
  };
}
