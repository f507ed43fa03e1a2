import type { Principal } from '@echopulse/service-kit';

/**
 * What one user may do in one channel, from the projection of server-service's events.
 * `permissions` is the effective bitfield of guild-contracts' `computeChannelPermissions`
 * (owner, ADMINISTRATOR and realm admin bypass; realm moderator extras included).
 */
export interface ChannelGrant {
  guildId: string;
  channelId: string;
  /** Seconds between two messages of one member; 0 for none (MANAGE_MESSAGES/MANAGE_CHANNELS bypass). */
  slowmodeSeconds: number;
  permissions: bigint;
}

/** Reads the projection; implemented in src/access/access.service.ts. */
export interface ChannelAccess {
  /** The grant, or undefined when the channel is unknown, not a text channel, or the user may not access its guild. */
  channel(principal: Principal, channelId: string): Promise<ChannelGrant | undefined>;
  /**
   * True when the user may see the guild (its topic, presence): guild-contracts' canAccessGuild —
   * its members, and realm admins and moderators it has not banned.
   */
  canViewGuild(principal: Principal, guildId: string): Promise<boolean>;
  /** Guild ids the user is a member of (presence broadcast, read states). */
  guildsOf(userId: string): Promise<string[]>;
}

/**
 * A change in the projection that may take access away, published after the projector's
 * transaction commits (Postgres NOTIFY), to every instance. Subscriptions of the named guild are
 * re-checked; `userId` narrows it to one member when the change concerned one.
 */
export interface AccessChange {
  guildId: string;
  userId?: string;
  channelId?: string;
  /** The event type that caused it, e.g. `member.kicked`. */
  cause: string;
}
