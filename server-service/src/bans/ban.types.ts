import type { Snowflake, UserId } from '../common/types';
import type { BanRow } from './ban.repository';

/** A ban: the user cannot (re)join the guild until unbanned. */
export interface Ban {
  guildId: Snowflake;
  userId: UserId;
  username: string;
  displayName: string;
  reason: string | null;
  bannedBy: UserId;
  /** ISO 8601. */
  createdAt: string;
}

/** A page of bans by user id; pass `next` as `after` for the following page (null: no more). */
export interface BanPage {
  items: Ban[];
  next: UserId | null;
}

export interface PutBanBody {
  /** @maxLength 512 */
  reason?: string | null;
}

export const toBan = (b: BanRow): Ban => ({
  guildId: b.guildId,
  userId: b.userId,
  username: b.username,
  displayName: b.displayName,
  reason: b.reason,
  bannedBy: b.bannedBy,
  createdAt: b.createdAt.toISOString(),
});
