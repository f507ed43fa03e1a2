import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A text channel or category of a guild, as projected. */
@Entity('channels')
export class ChannelEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('bigint', { name: 'guild_id' }) guildId!: string;
  @Column('text') type!: 'text' | 'category';
  @Column('text') name!: string;
  /** The category holding the channel, or null. */
  @Column('bigint', { name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column('integer') position!: number;
  @Column('text', { nullable: true }) topic!: string | null;
  @Column('integer', { name: 'slowmode_seconds' }) slowmodeSeconds!: number;
}
