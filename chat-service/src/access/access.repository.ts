import type { OverwriteInput, RoleInput } from '@echopulse/guild-contracts';
import type { DataSource } from 'typeorm';

/** What the projection knows of one user in one guild: the facts guild-contracts' rules take. */
export interface GuildFacts {
  guildId: string;
  ownerId: string;
  isMember: boolean;
  banned: boolean;
}

/** The guild facts of a channel's guild, and the channel's own. */
export interface ChannelFacts extends GuildFacts {
  type: 'text' | 'category';
  slowmodeSeconds: number;
  /** The user's roles in the guild (when a member). */
  roleIds: string[];
  roles: RoleInput[];
  overwrites: OverwriteInput[];
}

/** The projection's tables as AccessService reads them; AccessRepository over Postgres. */
export interface AccessStore {
  /** Undefined for an unknown channel. */
  channelFacts(channelId: string, userId: string): Promise<ChannelFacts | undefined>;
  /** Undefined for an unknown guild. */
  guildFacts(guildId: string, userId: string): Promise<GuildFacts | undefined>;
  /** Guild ids the user is a member of, in id order. */
  guildsOf(userId: string): Promise<string[]>;
  /** The guild's members by username; empty for an unknown guild. */
  membersOf(guildId: string): Promise<{ userId: string; username: string }[]>;
  /** The user's username as of their latest membership event; undefined if in no guild. */
  usernameOf(userId: string): Promise<string | undefined>;
}

interface ChannelRow {
  guild_id: string;
  type: 'text' | 'category';
  slowmode_seconds: number;
  owner_id: string;
  is_member: boolean;
  banned: boolean;
  role_ids: string[];
  roles: { id: string; position: number; permissions: string }[];
  overwrites: { id: string; type: 'role' | 'member'; allow: string; deny: string }[];
}

/** The projection tables (guilds, channels, members, roles, overwrites, bans), read for access. */
export class AccessRepository implements AccessStore {
  constructor(private readonly source: DataSource) {}

  async channelFacts(channelId: string, userId: string): Promise<ChannelFacts | undefined> {
    const rows: ChannelRow[] = await this.source.query(
      `SELECT c.guild_id::text AS guild_id, c.type, c.slowmode_seconds, g.owner_id,
              EXISTS (SELECT 1 FROM members m WHERE m.guild_id = c.guild_id AND m.user_id = $2)
                AS is_member,
              EXISTS (SELECT 1 FROM bans b WHERE b.guild_id = c.guild_id AND b.user_id = $2)
                AS banned,
              ARRAY(SELECT mr.role_id::text FROM member_roles mr
                     WHERE mr.guild_id = c.guild_id AND mr.user_id = $2) AS role_ids,
              COALESCE((SELECT json_agg(json_build_object('id', r.id::text, 'position', r.position,
                                          'permissions', r.permissions::text))
                          FROM roles r WHERE r.guild_id = c.guild_id), '[]') AS roles,
              COALESCE((SELECT json_agg(json_build_object('id', o.target_id, 'type', o.type,
                                          'allow', o.allow::text, 'deny', o.deny::text))
                          FROM channel_overwrites o WHERE o.channel_id = c.id), '[]') AS overwrites
         FROM channels c JOIN guilds g ON g.id = c.guild_id
        WHERE c.id = $1`,
      [channelId, userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      guildId: row.guild_id,
      ownerId: row.owner_id,
      isMember: row.is_member,
      banned: row.banned,
      type: row.type,
      slowmodeSeconds: row.slowmode_seconds,
      roleIds: row.role_ids,
      roles: row.roles.map((r) => ({
        id: r.id,
        position: r.position,
        permissions: BigInt(r.permissions),
      })),
      overwrites: row.overwrites.map((o) => ({
        id: o.id,
        type: o.type,
        allow: BigInt(o.allow),
        deny: BigInt(o.deny),
      })),
    };
  }

  async guildFacts(guildId: string, userId: string): Promise<GuildFacts | undefined> {
    const rows: Pick<ChannelRow, 'owner_id' | 'is_member' | 'banned'>[] = await this.source.query(
      `SELECT g.owner_id,
              EXISTS (SELECT 1 FROM members m WHERE m.guild_id = g.id AND m.user_id = $2)
                AS is_member,
              EXISTS (SELECT 1 FROM bans b WHERE b.guild_id = g.id AND b.user_id = $2) AS banned
         FROM guilds g
        WHERE g.id = $1`,
      [guildId, userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { guildId, ownerId: row.owner_id, isMember: row.is_member, banned: row.banned };
  }

  async guildsOf(userId: string): Promise<string[]> {
    const rows: { guild_id: string }[] = await this.source.query(
      `SELECT guild_id::text AS guild_id FROM members WHERE user_id = $1 ORDER BY guild_id`,
      [userId],
    );
    return rows.map((r) => r.guild_id);
  }

  async membersOf(guildId: string): Promise<{ userId: string; username: string }[]> {
    const rows: { user_id: string; username: string }[] = await this.source.query(
      `SELECT user_id, username FROM members WHERE guild_id = $1 ORDER BY username, user_id`,
      [guildId],
    );
    return rows.map((r) => ({ userId: r.user_id, username: r.username }));
  }

  async usernameOf(userId: string): Promise<string | undefined> {
    const rows: { username: string }[] = await this.source.query(
      `SELECT username FROM members WHERE user_id = $1 ORDER BY joined_at DESC LIMIT 1`,
      [userId],
    );
    return rows[0]?.username;
  }
}
