import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('bans')
export class BanEntity {
  @PrimaryColumn('bigint', { name: 'guild_id' }) guildId!: string;
  @PrimaryColumn('text', { name: 'user_id' }) userId!: string;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('text', { name: 'banned_by' }) bannedBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
