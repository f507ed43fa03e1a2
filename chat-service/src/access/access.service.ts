import {
  canAccessGuild,
  computeChannelPermissions,
  hasPermission,
  Permissions,
  type PermissionContext,
} from '@echopulse/guild-contracts';
import { hasRole, isSnowflake, type Principal } from '@echopulse/service-kit';
import type { AccessChangeListener } from './access-changes';
import type { AccessStore } from './access.repository';
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
  changes?: Pick<AccessChangeListener, 'subscribeFirst' | 'onResync'>;
}

interface CacheEntry {
  grant: ChannelGrant;
  expires: number;
}

/**
 * ChannelAccess over the projection tables (read through an AccessStore). It feeds
 * guild-contracts' rules the same facts as server-service's loadGuildAccess — is the user a member, has the guild banned them, their realm
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
    private readonly projection: AccessStore,
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
    const facts = await this.projection.guildFacts(guildId, principal.id);
    if (!facts) return false;
    return canAccessGuild({
      guild: { id: guildId, ownerId: facts.ownerId },
      roles: [],
      member: { userId: principal.id, roleIds: [] },
      isMember: facts.isMember,
      banned: facts.banned,
      realmRoles: principal.roles,
    });
  }

  guildsOf(userId: string): Promise<string[]> {
    return this.projection.guildsOf(userId);
  }

  /** The guild's members (presence), by username; empty for an unknown guild. */
  async membersOf(guildId: string): Promise<{ userId: string; username: string }[]> {
    if (!isSnowflake(guildId)) return [];
    return this.projection.membersOf(guildId);
  }

  /** The user's username as of their latest membership event; undefined if in no guild. */
  usernameOf(userId: string): Promise<string | undefined> {
    return this.projection.usernameOf(userId);
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
    const facts = await this.projection.channelFacts(channelId, principal.id);
    if (!facts || facts.type !== 'text') return undefined;
    const ctx: PermissionContext = {
      guild: { id: facts.guildId, ownerId: facts.ownerId },
      roles: facts.roles,
      member: { userId: principal.id, roleIds: facts.isMember ? facts.roleIds : [] },
      isMember: facts.isMember,
      banned: facts.banned,
      realmRoles: principal.roles,
    };
    if (!canAccessGuild(ctx)) return undefined;
    const permissions = computeChannelPermissions(ctx, facts.overwrites);
    const exempt =
      hasPermission(permissions, Permissions.MANAGE_MESSAGES) ||
      hasPermission(permissions, Permissions.MANAGE_CHANNELS);
    return {
      guildId: facts.guildId,
      channelId,
      slowmodeSeconds: exempt ? 0 : facts.slowmodeSeconds,
      permissions,
    };
  }
}

/** The realm roles that change a grant, as a cache key part. */
function realmKey(principal: Principal): string {
  return `${hasRole(principal, 'admin') ? 'a' : ''}${hasRole(principal, 'moderator') ? 'm' : ''}`;
}
