import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The id of a server event already applied: a redelivery is recognised and skipped. */
@Entity('processed_events')
export class ProcessedEventEntity {
  @PrimaryColumn('text', { name: 'event_id' }) eventId!: string;
  @Column('text') type!: string;
  @Column('timestamptz', { name: 'processed_at' }) processedAt!: Date;
}
