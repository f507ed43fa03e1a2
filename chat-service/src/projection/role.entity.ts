import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A guild role; @everyone's id is the guild id. */
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
}
