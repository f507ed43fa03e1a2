import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Keycloak user as last seen in one of their tokens. */
@Entity('users')
export class UserEntity {
  /** Keycloak `sub`. */
  @PrimaryColumn('text') id!: string;
  @Column('text') username!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('timestamptz', { name: 'first_seen_at' }) firstSeenAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
