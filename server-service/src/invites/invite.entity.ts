import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('invites')
export class InviteEntity {
  @PrimaryColumn('text') code!: string;
  @Column('bigint', { name: 'guild_id' }) guildId!: string;
  @Column('text', { name: 'inviter_id' }) inviterId!: string;
  /** 0 = unlimited. */
  @Column('integer', { name: 'max_uses' }) maxUses!: number;
  @Column('integer') uses!: number;
  /** 0 = never expires. */
  @Column('integer', { name: 'max_age_seconds' }) maxAgeSeconds!: number;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
