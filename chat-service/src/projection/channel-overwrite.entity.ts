import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One permission overwrite of a channel, for a role (id = role id, guild id for @everyone) or a member. */
@Entity('channel_overwrites')
export class ChannelOverwriteEntity {
  @PrimaryColumn('bigint', { name: 'channel_id' }) channelId!: string;
  @PrimaryColumn('text') type!: 'role' | 'member';
  @PrimaryColumn('text', { name: 'target_id' }) targetId!: string;
  /** Decimal bitfields (Postgres bigint). */
  @Column('bigint') allow!: string;
  @Column('bigint') deny!: string;
}
