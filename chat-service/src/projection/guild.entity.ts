import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A guild as projected from server-service's events. Ids are decimal strings (Postgres bigint). */
@Entity('guilds')
export class GuildEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('text') name!: string;
  /** Keycloak subject of the owner. */
  @Column('text', { name: 'owner_id' }) ownerId!: string;
  @Column('text', { name: 'icon_url', nullable: true }) iconUrl!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
