import { Entity, PrimaryColumn } from 'typeorm';

/** A role a member holds (@everyone is implied, never stored). */
@Entity('member_roles')
export class MemberRoleEntity {
  @PrimaryColumn('bigint', { name: 'guild_id' }) guildId!: string;
  @PrimaryColumn('text', { name: 'user_id' }) userId!: string;
  @PrimaryColumn('bigint', { name: 'role_id' }) roleId!: string;
}
