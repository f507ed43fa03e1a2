import type { Snowflake, UserId } from '../common/types';
import type { InviteEntity } from './invite.entity';

/** An invite to a guild, used as `POST /invites/{code}`. */
export interface Invite {
  code: string;
  guildId: Snowflake;
  inviterId: UserId;
  /** 0 = unlimited. */
  maxUses: number;
  uses: number;
  /** 0 = never expires. */
  maxAgeSeconds: number;
  /** ISO 8601, null when it never expires. */
  expiresAt: string | null;
  revoked: boolean;
  /** ISO 8601. */
  createdAt: string;
}

/** What anyone holding a code may see before accepting it. */
export interface InvitePreview {
  code: string;
  guild: { id: Snowflake; name: string; iconUrl: string | null };
  memberCount: number;
  expiresAt: string | null;
  /**
   * The caller's standing in the guild, so a client can say up front what accepting would do
   * instead of offering a button that fails: `banned` (accepting is refused with 403 `banned`),
   * `member` (409 `already_member`).
   */
  viewer: { member: boolean; banned: boolean };
}

export interface CreateInviteBody {
  /**
   * How many times it may be used; 0 (the default) is unlimited.
   * @isInt
   * @minimum 0
   * @maximum 1000
   */
  maxUses?: number;
  /**
   * Seconds until it expires; 0 never; default 86400 (one day); at most 7 days.
   * @isInt
   * @minimum 0
   * @maximum 604800
   */
  maxAgeSeconds?: number;
}

export const toInvite = (i: InviteEntity): Invite => ({
  code: i.code,
  guildId: i.guildId,
  inviterId: i.inviterId,
  maxUses: i.maxUses,
  uses: i.uses,
  maxAgeSeconds: i.maxAgeSeconds,
  expiresAt: i.expiresAt?.toISOString() ?? null,
  revoked: i.revokedAt !== null,
  createdAt: i.createdAt.toISOString(),
});
