import type { ChannelSnapshot, OverwriteSnapshot } from '@echopulse/guild-contracts';
import type { PermissionBits, Snowflake } from '../common/types';
import type { OverwriteEntity } from './channel.entity';
import type { ChannelRow } from './channel.repository';

/** A per-channel permission overwrite for a role or a member. */
export interface Overwrite {
  /** A role id or a user id. */
  id: string;
  type: 'role' | 'member';
  allow: PermissionBits;
  deny: PermissionBits;
}

/** A channel: `text` to talk in, `category` to group text channels. */
export interface Channel {
  id: Snowflake;
  guildId: Snowflake;
  type: 'text' | 'category';
  name: string;
  parentId: Snowflake | null;
  position: number;
  topic: string | null;
  slowmodeSeconds: number;
  overwrites: Overwrite[];
}

export interface CreateChannelBody {
  /**
   * @minLength 1
   * @maxLength 100
   * @pattern \S
   */
  name: string;
  /** Defaults to `text`. */
  type?: 'text' | 'category';
  /** A category of the same guild (text channels only). */
  parentId?: Snowflake | null;
  /** @maxLength 1024 */
  topic?: string | null;
  /**
   * @isInt
   * @minimum 0
   * @maximum 21600
   */
  slowmodeSeconds?: number;
}

export interface UpdateChannelBody {
  /**
   * @minLength 1
   * @maxLength 100
   * @pattern \S
   */
  name?: string;
  parentId?: Snowflake | null;
  /**
   * New position in the guild's list; others shift to make room.
   * @isInt
   * @minimum 0
   * @maximum 1000
   */
  position?: number;
  /** @maxLength 1024 */
  topic?: string | null;
  /**
   * @isInt
   * @minimum 0
   * @maximum 21600
   */
  slowmodeSeconds?: number;
}

export interface PutOverwriteBody {
  type: 'role' | 'member';
  /** Defaults to "0". */
  allow?: PermissionBits;
  /** Defaults to "0". */
  deny?: PermissionBits;
}

/** The caller's effective permissions in a channel. */
export interface EffectivePermissions {
  channelId: Snowflake;
  permissions: PermissionBits;
  /** Names of the bits set, e.g. `["VIEW_CHANNEL", "SEND_MESSAGES"]`. */
  names: string[];
}

export const toOverwrite = (o: OverwriteEntity): Overwrite => ({
  id: o.targetId,
  type: o.type,
  allow: o.allow,
  deny: o.deny,
});

export const toChannel = (c: ChannelRow): Channel => ({
  id: c.id,
  guildId: c.guildId,
  type: c.type,
  name: c.name,
  parentId: c.parentId,
  position: c.position,
  topic: c.topic,
  slowmodeSeconds: c.slowmodeSeconds,
  overwrites: c.overwrites.map(toOverwrite),
});

export const channelSnapshot = (c: ChannelRow): ChannelSnapshot => toChannel(c);
export const overwriteSnapshots = (c: ChannelRow): OverwriteSnapshot[] =>
  c.overwrites.map(toOverwrite);
