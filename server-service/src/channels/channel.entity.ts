import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ChannelType = 'text' | 'category';

@Entity('channels')
export class ChannelEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('bigint', { name: 'guild_id' }) guildId!: string;
  @Column('text') type!: ChannelType;
  @Column('text') name!: string;
  @Column('bigint', { name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column('integer') position!: number;
  @Column('text', { nullable: true }) topic!: string | null;
  @Column('integer', { name: 'slowmode_seconds' }) slowmodeSeconds!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

@Entity('channel_overwrites')
export class OverwriteEntity {
  @PrimaryColumn('bigint', { name: 'channel_id' }) channelId!: string;
  /** A role id (snowflake) or a user id (Keycloak sub). */
  @PrimaryColumn('text', { name: 'target_id' }) targetId!: string;
  @Column('text') type!: 'role' | 'member';
  @Column('bigint') allow!: string;
  @Column('bigint') deny!: string;
}
