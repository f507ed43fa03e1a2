import type { Json } from '../../src/testing/api-client';
import type { DataSource } from 'typeorm';

const tables = [
  'users',
  'guilds',
  'roles',
  'members',
  'member_roles',
  'channels',
  'channel_overwrites',
  'invites',
  'bans',
  'outbox',
];

/**
 * A fingerprint of every table (row count and an md5 of its rows), to prove that a refused
 * request changed nothing, events included.
 */
export async function dbState(source: DataSource): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await source.query(
      `SELECT count(*)::int AS n, md5(COALESCE(string_agg(t::text, ',' ORDER BY t::text), '')) AS h FROM ${table} t`,
    );
    state[table] = `${row.n}:${row.h}`;
  }
  return state;
}

/** The events written to the outbox for a guild, oldest first. */
export async function outboxEvents(
  source: DataSource,
  guildId: string,
): Promise<{ type: string; data: Json }[]> {
  const rows: { envelope: { type: string; data: unknown } }[] = await source.query(
    `SELECT envelope FROM outbox WHERE guild_id = $1 ORDER BY position`,
    [guildId],
  );
  return rows.map((r) => ({ type: r.envelope.type, data: r.envelope.data }));
}
