import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import {
  DEFAULT_EVERYONE_PERMISSIONS,
  serverEvent,
  type ChannelSnapshot,
  type MemberSnapshot,
  type RoleSnapshot,
  type ServerEvent,
} from '@echopulse/guild-contracts';
import { createLogger, SnowflakeGenerator, type Principal } from '@echopulse/service-kit';
import { dropSchema, migratedDataSource as migrated } from '@echopulse/service-kit/db';
import { databaseForSuite, waitFor } from '@echopulse/infra/testing';
import type { DataSource } from 'typeorm';
import { createDataSource, type DatabaseOptions } from '../db/data-source';

// Test support of the projection and access suites: a migrated schema of its own per suite in
// echopulse_chat_test, and factories for server events as server-service would publish them.

export const testLogger = () =>
  createLogger('chat-service-test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** A schema of its own in echopulse_chat_test for each suite, so parallel suites never meet. */
export const testDatabaseOptions = (): DatabaseOptions => databaseForSuite('echopulse_chat_test');

/** Creates the suite's schema and runs every migration in it. */
export const migratedDataSource = (db: DatabaseOptions): Promise<DataSource> =>
  migrated(createDataSource, db);

export { dropSchema };

/** Every projection table's rows, sorted, for comparing two states of the projection. */
export async function projectionState(source: DataSource): Promise<Record<string, unknown[]>> {
  const q = (sql: string) => source.query(sql);
  return {
    guilds: await q(`SELECT id, name, owner_id, icon_url, created_at FROM guilds ORDER BY id`),
    roles: await q(`SELECT * FROM roles ORDER BY id`),
    channels: await q(`SELECT * FROM channels ORDER BY id`),
    overwrites: await q(`SELECT * FROM channel_overwrites ORDER BY channel_id, type, target_id`),
    members: await q(`SELECT * FROM members ORDER BY guild_id, user_id`),
    memberRoles: await q(`SELECT * FROM member_roles ORDER BY guild_id, user_id, role_id`),
    bans: await q(`SELECT * FROM bans ORDER BY guild_id, user_id`),
  };
}

const ids = new SnowflakeGenerator(randomInt(1024));
export const snowflake = () => ids.next();

/** A user as Keycloak would name it: a UUID subject. */
export interface TestUser {
  id: string;
  username: string;
}
export const testUser = (name: string): TestUser => ({
  id: randomUUID(),
  username: `${name}-${randomBytes(3).toString('hex')}`,
});

export const principal = (user: TestUser, realmRoles: string[] = []): Principal => ({
  id: user.id,
  username: user.username,
  displayName: user.username,
  roles: ['user', ...realmRoles],
  expiresAt: new Date(Date.now() + 300_000),
});

export function memberSnapshot(
  guildId: string,
  user: TestUser,
  roleIds: string[] = [],
): MemberSnapshot {
  return {
    guildId,
    userId: user.id,
    username: user.username,
    displayName: user.username.toUpperCase(),
    nickname: null,
    roleIds,
    joinedAt: new Date().toISOString(),
  };
}

export function roleSnapshot(guildId: string, fields: Partial<RoleSnapshot> = {}): RoleSnapshot {
  return {
    id: snowflake(),
    guildId,
    name: 'role',
    color: 0,
    position: 1,
    permissions: '0',
    mentionable: false,
    ...fields,
  };
}

export function channelSnapshot(
  guildId: string,
  fields: Partial<ChannelSnapshot> = {},
): ChannelSnapshot {
  return {
    id: snowflake(),
    guildId,
    type: 'text',
    name: 'general',
    parentId: null,
    position: 0,
    topic: null,
    slowmodeSeconds: 0,
    overwrites: [],
    ...fields,
  };
}

/** A guild.created event as server-service makes it: @everyone, the owner, a category and #general. */
export function guildCreated(owner: TestUser, members: TestUser[] = []) {
  const guildId = snowflake();
  const category = channelSnapshot(guildId, { type: 'category', name: 'Text Channels' });
  const general = channelSnapshot(guildId, { parentId: category.id, position: 1 });
  const everyone = roleSnapshot(guildId, {
    id: guildId,
    name: '@everyone',
    position: 0,
    permissions: DEFAULT_EVERYONE_PERMISSIONS.toString(),
  });
  const event = serverEvent('guild.created', guildId, {
    guild: {
      id: guildId,
      name: `guild-${randomBytes(3).toString('hex')}`,
      ownerId: owner.id,
      iconUrl: null,
      createdAt: new Date().toISOString(),
    },
    roles: [everyone],
    members: [owner, ...members].map((u) => memberSnapshot(guildId, u)),
    channels: [category, general],
  });
  return { guildId, event, category, general, everyone };
}

/** Resolves once `predicate` holds for what `read` gives (infra's waitFor, for state with no event to await, like Kafka lag). */
export function eventually<T>(
  read: () => Promise<T>,
  predicate: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  let last: T | undefined;
  return waitFor(
    () => `a value that meets the condition (last read: ${JSON.stringify(last)})`,
    async () => {
      last = await read();
      return predicate(last) ? { value: last } : undefined;
    },
    timeoutMs,
    100,
  ).then(({ value }) => value);
}

export type { ServerEvent };
