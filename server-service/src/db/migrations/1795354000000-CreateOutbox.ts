import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: server events written in the same transaction as the change they
 * describe, published to Kafka afterwards by the outbox relay (src/outbox/). Independent of the
 * domain tables, so it can be created and tested on its own.
 */
export class CreateOutbox1795354000000 implements MigrationInterface {
  name = 'CreateOutbox1795354000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        -- global order of appends; the relay publishes in this order
        position bigserial NOT NULL UNIQUE,
        guild_id bigint NOT NULL,
        type text NOT NULL CHECK (char_length(type) BETWEEN 1 AND 100),
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    // What the relay reads: the unpublished rows in order. Partial, so it stays as small as the backlog.
    await q.query(
      `CREATE INDEX outbox_unpublished_idx ON outbox (position) WHERE published_at IS NULL`,
    );
    // What retention deletes: published rows by age.
    await q.query(
      `CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    // Wake the relay at once: NOTIFY inside a transaction is delivered at commit, and never for a
    // rolled-back one; one notification per statement is enough, the relay reads all it finds.
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox', '');
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify_trg AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
  }
}
