import type { RoleSnapshot } from '@echopulse/guild-contracts';
import type { PermissionBits, Snowflake } from '../common/types';
import type { RoleEntity } from './role.entity';

/** A guild role. The @everyone role has the guild's id and position 0. */
export interface Role {
  id: Snowflake;
  guildId: Snowflake;
  name: string;
  /** RGB as an integer, 0 for none. */
  color: number;
  /** Higher outranks lower; @everyone is 0. */
  position: number;
  permissions: PermissionBits;
  mentionable: boolean;
}

export interface CreateRoleBody {
  /**
   * @minLength 1
   * @maxLength 100
   * @pattern \S
   */
  name: string;
  /**
   * @isInt
   * @minimum 0
   * @maximum 16777215
   */
  color?: number;
  permissions?: PermissionBits;
  mentionable?: boolean;
}

export interface UpdateRoleBody {
  /**
   * @minLength 1
   * @maxLength 100
   * @pattern \S
   */
  name?: string;
  /**
   * @isInt
   * @minimum 0
   * @maximum 16777215
   */
  color?: number;
  permissions?: PermissionBits;
  mentionable?: boolean;
  /**
   * New position (1 = just above @everyone); others shift to make room.
   * @isInt
   * @minimum 1
   * @maximum 1000
   */
  position?: number;
}

export const toRole = (r: RoleEntity): Role => ({
  id: r.id,
  guildId: r.guildId,
  name: r.name,
  color: r.color,
  position: r.position,
  permissions: r.permissions,
  mentionable: r.mentionable,
});

export const roleSnapshot = (r: RoleEntity): RoleSnapshot => toRole(r);
