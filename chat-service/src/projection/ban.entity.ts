import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user banned from a guild (not a member; may not rejoin until unbanned). */
@Entity('bans')
export class BanEntity {
  @PrimaryColumn('bigint', { name: 'guild_id' }) guildId!: string;
  @PrimaryColumn('text', { name: 'user_id' }) userId!: string;
  @Column('text', { nullable: true }) reason!: string | null;
}
