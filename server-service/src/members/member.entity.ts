import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('members')
export class MemberEntity {
  @PrimaryColumn('bigint', { name: 'guild_id' }) guildId!: string;
  @PrimaryColumn('text', { name: 'user_id' }) userId!: string;
  @Column('text', { nullable: true }) nickname!: string | null;
  @Column('timestamptz', { name: 'joined_at' }) joinedAt!: Date;
}

@Entity('member_roles')
export class MemberRoleEntity {
  @PrimaryColumn('bigint', { name: 'guild_id' }) guildId!: string;
  @PrimaryColumn('text', { name: 'user_id' }) userId!: string;
  @PrimaryColumn('bigint', { name: 'role_id' }) roleId!: string;
}
