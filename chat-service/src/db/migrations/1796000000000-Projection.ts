import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * chat-service's projection of server-service's events: guilds, channels, overwrites, roles,
 * members, member roles, bans, and the ids of applied events (idempotence). Everything hangs off
 * the guild and cascades from it. Checks are deliberately looser than server-service's: the
 * producer already validated, and a projection that refuses a valid event would stall (no unique
 * positions, for instance, since a reorder arrives as several channel.updated events).
 */
export class Projection1796000000000 implements MigrationInterface {
  name = 'Projection1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE guilds (
        id bigint PRIMARY KEY,
        name text NOT NULL,
        owner_id text NOT NULL,
        icon_url text,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE roles (
        id bigint PRIMARY KEY,
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        name text NOT NULL,
        color integer NOT NULL DEFAULT 0,
        position integer NOT NULL,
        permissions bigint NOT NULL CHECK (permissions >= 0),
        mentionable boolean NOT NULL DEFAULT false,
        CONSTRAINT roles_guild_id_uq UNIQUE (guild_id, id)
      )`);
    await q.query(`
      CREATE TABLE channels (
        id bigint PRIMARY KEY,
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('text', 'category')),
        name text NOT NULL,
        -- no foreign key: the parent's deletion arrives as its own event, children follow as updates
        parent_id bigint,
        position integer NOT NULL,
        topic text,
        slowmode_seconds integer NOT NULL DEFAULT 0 CHECK (slowmode_seconds >= 0)
      )`);
    await q.query(`CREATE INDEX channels_guild_idx ON channels (guild_id)`);
    await q.query(`
      CREATE TABLE channel_overwrites (
        channel_id bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('role', 'member')),
        target_id text NOT NULL,
        allow bigint NOT NULL CHECK (allow >= 0),
        deny bigint NOT NULL CHECK (deny >= 0),
        PRIMARY KEY (channel_id, type, target_id)
      )`);
    await q.query(`
      CREATE TABLE members (
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        username text NOT NULL,
        display_name text NOT NULL,
        nickname text,
        joined_at timestamptz NOT NULL,
        PRIMARY KEY (guild_id, user_id)
      )`);
    await q.query(`CREATE INDEX members_user_idx ON members (user_id)`);
    await q.query(`
      CREATE TABLE member_roles (
        guild_id bigint NOT NULL,
        user_id text NOT NULL,
        role_id bigint NOT NULL,
        PRIMARY KEY (guild_id, user_id, role_id),
        FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE,
        FOREIGN KEY (guild_id, role_id) REFERENCES roles (guild_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX member_roles_role_idx ON member_roles (role_id)`);
    await q.query(`
      CREATE TABLE bans (
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        reason text,
        PRIMARY KEY (guild_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE processed_events (
        event_id text PRIMARY KEY,
        type text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'processed_events',
      'bans',
      'member_roles',
      'members',
      'channel_overwrites',
      'channels',
      'roles',
      'guilds',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
