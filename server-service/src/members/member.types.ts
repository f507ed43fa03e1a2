import type { MemberSnapshot } from '@echopulse/guild-contracts';
import type { Snowflake, UserId } from '../common/types';
import type { MemberRow } from './member.repository';

/** A member of a guild. */
export interface Member {
  guildId: Snowflake;
  userId: UserId;
  username: string;
  displayName: string;
  nickname: string | null;
  /** Roles besides @everyone, which every member has. */
  roleIds: Snowflake[];
  /** ISO 8601. */
  joinedAt: string;
}

/** A page of members by user id; pass `next` as `after` for the following page (null: no more). */
export interface MemberPage {
  items: Member[];
  next: UserId | null;
}

export interface UpdateMemberBody {
  /**
   * The member's nickname in this guild; null removes it.
   * @minLength 1
   * @maxLength 32
   * @pattern \S
   */
  nickname?: string | null;
  /**
   * The member's complete set of roles (besides @everyone).
   * @maxItems 250
   * @uniqueItems
   */
  roleIds?: Snowflake[];
}

export const toMember = (m: MemberRow): Member => ({
  guildId: m.guildId,
  userId: m.userId,
  username: m.username,
  displayName: m.displayName,
  nickname: m.nickname,
  roleIds: m.roleIds,
  joinedAt: m.joinedAt.toISOString(),
});

export const memberSnapshot = (m: MemberRow): MemberSnapshot => toMember(m);
