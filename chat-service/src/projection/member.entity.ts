import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A guild membership, with the user's names as of the last event that carried them. */
@Entity('members')
export class MemberEntity {
  @PrimaryColumn('bigint', { name: 'guild_id' }) guildId!: string;
  /** Keycloak subject. */
  @PrimaryColumn('text', { name: 'user_id' }) userId!: string;
  @Column('text') username!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('text', { nullable: true }) nickname!: string | null;
  @Column('timestamptz', { name: 'joined_at' }) joinedAt!: Date;
}
