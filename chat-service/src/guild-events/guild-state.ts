import type {
  ChannelSnapshot,
  GuildSnapshot,
  MemberSnapshot,
  RoleSnapshot,
} from '@echopulse/guild-contracts';
import type { EntityManager } from 'typeorm';

/** A ban as the projection holds it (server-service's Ban without `bannedBy` and `createdAt`). */
export interface GuildBan {
  guildId: string;
  userId: string;
  username: string | null;
  displayName: string | null;
  reason: string | null;
}

/**
 * Everything the projection holds of one guild, in the shapes of server-service's REST resources
 * (guild-contracts' snapshots), ordered so that two loads of the same rows compare equal as JSON.
 */
export interface GuildState {
  guild: GuildSnapshot;
  roles: RoleSnapshot[];
  channels: ChannelSnapshot[];
  members: MemberSnapshot[];
  bans: GuildBan[];
}

const iso = (value: Date | string): string =>
  value instanceof Date ? value.toISOString() : new Date(value).toISOString();

/**
 * Reads a guild's state from the projection tables with `m` (inside the projector's transaction,
 * under the guild's lock, so nothing moves meanwhile); undefined when the projection does not
 * hold the guild. Five indexed queries; a 1000-member guild is ~1000 member rows.
 */
export async function loadGuildState(
  m: EntityManager,
  guildId: string,
): Promise<GuildState | undefined> {
  const guilds: {
    id: string;
    name: string;
    owner_id: string;
    icon_url: string | null;
    created_at: Date;
  }[] = await m.query(
    `SELECT id::text AS id, name, owner_id, icon_url, created_at FROM guilds WHERE id = $1`,
    [guildId],
  );
  const g = guilds[0];
  if (!g) return undefined;
  const roles: RoleSnapshot[] = await m.query(
    `SELECT id::text AS id, guild_id::text AS "guildId", name, color, position,
            permissions::text AS permissions, mentionable
       FROM roles WHERE guild_id = $1 ORDER BY position, id`,
    [guildId],
  );
  const channels: ChannelSnapshot[] = await m.query(
    `SELECT c.id::text AS id, c.guild_id::text AS "guildId", c.type, c.name,
            c.parent_id::text AS "parentId", c.position, c.topic,
            c.slowmode_seconds AS "slowmodeSeconds",
            COALESCE((SELECT json_agg(json_build_object('id', o.target_id, 'type', o.type,
                                        'allow', o.allow::text, 'deny', o.deny::text)
                                      ORDER BY o.type, o.target_id)
                        FROM channel_overwrites o WHERE o.channel_id = c.id), '[]') AS overwrites
       FROM channels c WHERE c.guild_id = $1 ORDER BY c.position, c.id`,
    [guildId],
  );
  const members: (Omit<MemberSnapshot, 'joinedAt'> & { joinedAt: Date })[] = await m.query(
    `SELECT mb.guild_id::text AS "guildId", mb.user_id AS "userId", mb.username,
            mb.display_name AS "displayName", mb.nickname, mb.joined_at AS "joinedAt",
            ARRAY(SELECT mr.role_id::text FROM member_roles mr
                   WHERE mr.guild_id = mb.guild_id AND mr.user_id = mb.user_id
                   ORDER BY mr.role_id) AS "roleIds"
       FROM members mb WHERE mb.guild_id = $1 ORDER BY mb.user_id`,
    [guildId],
  );
  const bans: GuildBan[] = await m.query(
    `SELECT b.guild_id::text AS "guildId", b.user_id AS "userId", b.reason,
            NULL::text AS username, NULL::text AS "displayName"
       FROM bans b WHERE b.guild_id = $1 ORDER BY b.user_id`,
    [guildId],
  );
  return {
    guild: {
      id: g.id,
      name: g.name,
      ownerId: g.owner_id,
      iconUrl: g.icon_url,
      createdAt: iso(g.created_at),
    },
    roles,
    channels,
    members: members.map((mb) => ({ ...mb, joinedAt: iso(mb.joinedAt) })),
    bans,
  };
}
