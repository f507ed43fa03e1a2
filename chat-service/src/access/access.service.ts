import {
  canAccessGuild,
  computeChannelPermissions,
  hasPermission,
  Permissions,
  type OverwriteInput,
  type PermissionContext,
  type RoleInput,
} from '@echopulse/guild-contracts';
import { hasRole, isSnowflake, type Principal } from '@echopulse/service-kit';
import type { DataSource } from 'typeorm';
import type { AccessChangeListener } from './access-changes';
import type { AccessChange, ChannelAccess, ChannelGrant } from './channel-access';

export interface AccessServiceOptions {
  /**
   * Cache grants for this long (ms) per user and channel; 0 (the default) caches nothing. The
   * cache needs `changes`: every AccessChange of the guild drops its entries before any other
   * subscriber hears of the change, and a reconnection of the listener drops them all.
   */
  cacheTtlMs?: number;
  /** Most entries the cache holds (oldest dropped first); default 10,000. */
  cacheSize?: number;
  changes?: AccessChangeListener;
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

interface CacheEntry {
  grant: ChannelGrant;
  expires: number;
}

/**
 * ChannelAccess over the projection tables. It feeds guild-contracts' rules the same facts as
 * server-service's loadGuildAccess — is the user a member, has the guild banned them, their realm
 * roles — so both services answer alike (guild-contracts/README.md, "Realm roles"):
 * - whoever may not access the guild (`canAccessGuild`: a non-member without realm `admin` or
 *   `moderator`, or anyone the guild banned, realm roles included) gets undefined, as for an
 *   unknown channel or a category;
 * - everyone else gets `computeChannelPermissions`: a member their roles and the channel's
 *   overwrites (plus their realm roles); a non-member realm moderator or admin only the
 *   moderation or administration bits, never SEND_MESSAGES, in every channel.
 */
export class AccessService implements ChannelAccess {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  /** Bumped by every invalidation: a lookup that raced with one does not fill the cache. */
  private version = 0;

  constructor(
    private readonly dataSource: DataSource,
    options: AccessServiceOptions = {},
  ) {
    this.ttlMs = options.changes ? (options.cacheTtlMs ?? 0) : 0;
    this.maxEntries = options.cacheSize ?? 10_000;
    if (options.changes && this.ttlMs > 0) {
      options.changes.subscribeFirst((change) => this.invalidate(change));
      options.changes.onResync(() => this.clear());
    }
  }

  async channel(principal: Principal, channelId: string): Promise<ChannelGrant | undefined> {
    if (!isSnowflake(channelId)) return undefined;
    const key = `${channelId}\u0000${principal.id}\u0000${realmKey(principal)}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return cached.grant;
    const version = this.version;
    const grant = await this.lookup(principal, channelId);
    // Only grants are cached: access that grows (a join, say) is not notified, so a cached
    // refusal could outlive it.
    if (grant && this.ttlMs > 0 && version === this.version) {
      this.cache.delete(key);
      this.cache.set(key, { grant, expires: Date.now() + this.ttlMs });
      if (this.cache.size > this.maxEntries) {
        this.cache.delete(this.cache.keys().next().value!);
      }
    }
    return grant;
  }

  async canViewGuild(principal: Principal, guildId: string): Promise<boolean> {
    if (!isSnowflake(guildId)) return false;
    const rows: Pick<ChannelRow, 'owner_id' | 'is_member' | 'banned'>[] =
      await this.dataSource.query(
        `SELECT g.owner_id,
                EXISTS (SELECT 1 FROM members m WHERE m.guild_id = g.id AND m.user_id = $2)
                  AS is_member,
                EXISTS (SELECT 1 FROM bans b WHERE b.guild_id = g.id AND b.user_id = $2) AS banned
           FROM guilds g
          WHERE g.id = $1`,
        [guildId, principal.id],
      );
    const row = rows[0];
    if (!row) return false;
    return canAccessGuild({
      guild: { id: guildId, ownerId: row.owner_id },
      roles: [],
      member: { userId: principal.id, roleIds: [] },
      isMember: row.is_member,
      banned: row.banned,
      realmRoles: principal.roles,
    });
  }

  async guildsOf(userId: string): Promise<string[]> {
    const rows: { guild_id: string }[] = await this.dataSource.query(
      `SELECT guild_id::text AS guild_id FROM members WHERE user_id = $1 ORDER BY guild_id`,
      [userId],
    );
    return rows.map((r) => r.guild_id);
  }

  /** The guild's members (presence), by username; empty for an unknown guild. */
  async membersOf(guildId: string): Promise<{ userId: string; username: string }[]> {
    if (!isSnowflake(guildId)) return [];
    const rows: { user_id: string; username: string }[] = await this.dataSource.query(
      `SELECT user_id, username FROM members WHERE guild_id = $1 ORDER BY username, user_id`,
      [guildId],
    );
    return rows.map((r) => ({ userId: r.user_id, username: r.username }));
  }

  /** The user's username as of their latest membership event; undefined if in no guild. */
  async usernameOf(userId: string): Promise<string | undefined> {
    const rows: { username: string }[] = await this.dataSource.query(
      `SELECT username FROM members WHERE user_id = $1 ORDER BY joined_at DESC LIMIT 1`,
      [userId],
    );
    return rows[0]?.username;
  }

  /** Drops the cached grants of the change's guild. */
  invalidate(change: AccessChange): void {
    this.version += 1;
    for (const [key, entry] of this.cache) {
      if (entry.grant.guildId === change.guildId) this.cache.delete(key);
    }
  }

  /** Drops every cached grant. */
  clear(): void {
    this.version += 1;
    this.cache.clear();
  }

  private async lookup(principal: Principal, channelId: string): Promise<ChannelGrant | undefined> {
    const rows: ChannelRow[] = await this.dataSource.query(
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
      [channelId, principal.id],
    );
    const row = rows[0];
    if (!row || row.type !== 'text') return undefined;
    const ctx: PermissionContext = {
      guild: { id: row.guild_id, ownerId: row.owner_id },
      roles: row.roles.map((r): RoleInput => ({
        id: r.id,
        position: r.position,
        permissions: BigInt(r.permissions),
      })),
      member: { userId: principal.id, roleIds: row.is_member ? row.role_ids : [] },
      isMember: row.is_member,
      banned: row.banned,
      realmRoles: principal.roles,
    };
    if (!canAccessGuild(ctx)) return undefined;
    const overwrites = row.overwrites.map((o): OverwriteInput => ({
      id: o.id,
      type: o.type,
      allow: BigInt(o.allow),
      deny: BigInt(o.deny),
    }));
    const permissions = computeChannelPermissions(ctx, overwrites);
    const exempt =
      hasPermission(permissions, Permissions.MANAGE_MESSAGES) ||
      hasPermission(permissions, Permissions.MANAGE_CHANNELS);
    return {
      guildId: row.guild_id,
      channelId,
      slowmodeSeconds: exempt ? 0 : row.slowmode_seconds,
      permissions,
    };
  }
}

/** The realm roles that change a grant, as a cache key part. */
function realmKey(principal: Principal): string {
  return `${hasRole(principal, 'admin') ? 'a' : ''}${hasRole(principal, 'moderator') ? 'm' : ''}`;
}
