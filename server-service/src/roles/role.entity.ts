import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('roles')
export class RoleEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('bigint', { name: 'guild_id' }) guildId!: string;
  @Column('text') name!: string;
  @Column('integer') color!: number;
  @Column('integer') position!: number;
  /** Permission bitfield as a decimal string (Postgres bigint). */
  @Column('bigint') permissions!: string;
  @Column('boolean') mentionable!: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
