import type { Snowflake, UserId } from '../common/types';
import type { GuildEntity } from './guild.entity';

/** A guild (a "server" in Discord's UI). */
export interface Guild {
  id: Snowflake;
  name: string;
  /** The user who owns the guild and holds every permission in it. */
  ownerId: UserId;
  iconUrl: string | null;
  /** ISO 8601. */
  createdAt: string;
}

/** A page of guilds, by id; pass `next` as `after` for the following page (null: no more). */
export interface GuildPage {
  items: Guild[];
  next: Snowflake | null;
}

export interface CreateGuildBody {
  /**
   * @minLength 2
   * @maxLength 100
   * @pattern \S
   */
  name: string;
  /**
   * An http(s) URL of the guild's icon.
   * @maxLength 2048
   * @pattern ^https?://[^\s/$.?#][^\s]*$
   */
  iconUrl?: string | null;
}

export interface UpdateGuildBody {
  /**
   * @minLength 2
   * @maxLength 100
   * @pattern \S
   */
  name?: string;
  /**
   * @maxLength 2048
   * @pattern ^https?://[^\s/$.?#][^\s]*$
   */
  iconUrl?: string | null;
  /** Transfers ownership to another member (owner only). */
  ownerId?: UserId;
}

export const toGuild = (g: GuildEntity): Guild => ({
  id: g.id,
  name: g.name,
  ownerId: g.ownerId,
  iconUrl: g.iconUrl,
  createdAt: g.createdAt.toISOString(),
});
