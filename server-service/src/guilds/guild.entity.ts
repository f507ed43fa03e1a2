import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('guilds')
export class GuildEntity {
  /** Snowflake (bigint, read as a decimal string). */
  @PrimaryColumn('bigint') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'owner_id' }) ownerId!: string;
  @Column('text', { name: 'icon_url', nullable: true }) iconUrl!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
