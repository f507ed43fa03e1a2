import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The records of a channel claimed but maybe not yet on Kafka (see sequencing/sequencer.ts): a
 * holder of the channel's lock that finds them produces them first (its predecessor died between
 * COMMIT and Kafka's ack). `IF NOT EXISTS`: some development databases got the column from an
 * earlier draft of the Messages migration.
 */
export class PendingRecords1796000200000 implements MigrationInterface {
  name = 'PendingRecords1796000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channel_sequences ADD COLUMN IF NOT EXISTS pending jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channel_sequences DROP COLUMN pending`);
  }
}
