import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Guilds, users, members, roles, channels, overwrites, invites and bans. Integrity lives in the
 * database: foreign keys cascade from the guild, checks bound every field the API bounds, and
 * positions are unique per guild (deferred to commit, so a reorder may pass through duplicates
 * inside its transaction).
 */
export class InitialSchema1795353500000 implements MigrationInterface {
  name = 'InitialSchema1795353500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
        username text NOT NULL,
        display_name text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE guilds (
        id bigint PRIMARY KEY,
        name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 100),
        owner_id text NOT NULL REFERENCES users (id),
        icon_url text CHECK (char_length(icon_url) <= 2048),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX guilds_owner_idx ON guilds (owner_id)`);
    await q.query(`
      CREATE TABLE roles (
        id bigint PRIMARY KEY,
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        color integer NOT NULL DEFAULT 0 CHECK (color BETWEEN 0 AND 16777215),
        position integer NOT NULL CHECK (position >= 0),
        permissions bigint NOT NULL CHECK (permissions >= 0),
        mentionable boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT roles_guild_id_uq UNIQUE (guild_id, id),
        CONSTRAINT roles_position_uq UNIQUE (guild_id, position) DEFERRABLE INITIALLY DEFERRED,
        -- the @everyone role has the guild's id and sits at position 0, as in Discord
        CONSTRAINT roles_everyone_ck CHECK ((id = guild_id) = (position = 0))
      )`);
    await q.query(`
      CREATE TABLE members (
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users (id),
        nickname text CHECK (char_length(nickname) BETWEEN 1 AND 32),
        joined_at timestamptz NOT NULL DEFAULT now(),
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
        -- the role must belong to the member's guild
        FOREIGN KEY (guild_id, role_id) REFERENCES roles (guild_id, id) ON DELETE CASCADE,
        CHECK (role_id <> guild_id)
      )`);
    await q.query(`CREATE INDEX member_roles_role_idx ON member_roles (role_id)`);
    await q.query(`
      CREATE TABLE channels (
        id bigint PRIMARY KEY,
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('text', 'category')),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        parent_id bigint,
        position integer NOT NULL CHECK (position >= 0),
        topic text CHECK (char_length(topic) <= 1024),
        slowmode_seconds integer NOT NULL DEFAULT 0 CHECK (slowmode_seconds BETWEEN 0 AND 21600),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT channels_guild_id_uq UNIQUE (guild_id, id),
        CONSTRAINT channels_position_uq UNIQUE (guild_id, position) DEFERRABLE INITIALLY DEFERRED,
        -- a parent is a channel of the same guild; deleting it leaves its children at the top level
        CONSTRAINT channels_parent_fk FOREIGN KEY (guild_id, parent_id)
          REFERENCES channels (guild_id, id) ON DELETE SET NULL (parent_id),
        CONSTRAINT channels_parent_ck CHECK (parent_id IS NULL OR (parent_id <> id AND type = 'text'))
      )`);
    await q.query(`
      CREATE TABLE channel_overwrites (
        channel_id bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        target_id text NOT NULL CHECK (length(target_id) BETWEEN 1 AND 64),
        type text NOT NULL CHECK (type IN ('role', 'member')),
        allow bigint NOT NULL CHECK (allow >= 0),
        deny bigint NOT NULL CHECK (deny >= 0),
        PRIMARY KEY (channel_id, target_id),
        CHECK (allow & deny = 0)
      )`);
    await q.query(`
      CREATE TABLE invites (
        code text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9]{8,16}$'),
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        inviter_id text NOT NULL REFERENCES users (id),
        max_uses integer NOT NULL DEFAULT 0 CHECK (max_uses BETWEEN 0 AND 1000),
        uses integer NOT NULL DEFAULT 0 CHECK (uses >= 0),
        max_age_seconds integer NOT NULL DEFAULT 86400 CHECK (max_age_seconds BETWEEN 0 AND 604800),
        expires_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- max_uses 0 means unlimited; otherwise uses never pass it, whatever races
        CHECK (max_uses = 0 OR uses <= max_uses)
      )`);
    await q.query(`CREATE INDEX invites_guild_idx ON invites (guild_id, created_at)`);
    await q.query(`
      CREATE TABLE bans (
        guild_id bigint NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users (id),
        reason text CHECK (char_length(reason) <= 512),
        banned_by text NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (guild_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'bans',
      'invites',
      'channel_overwrites',
      'channels',
      'member_roles',
      'members',
      'roles',
      'guilds',
      'users',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
