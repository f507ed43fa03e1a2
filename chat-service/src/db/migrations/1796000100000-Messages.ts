import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The message side: per-channel sequence counters and nonces (the sequencer's transaction), the
 * archive of every message (written by the archiver group from chat.messages, keyed by channel +
 * seq) and read markers. No foreign keys to the projection: a message outlives a replayed or
 * lagging projection, and the archive is written in Kafka's order, not the projection's.
 */
export class Messages1796000100000 implements MigrationInterface {
  name = 'Messages1796000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE channel_sequences (
        channel_id bigint PRIMARY KEY,
        last_seq bigint NOT NULL CHECK (last_seq >= 0)
      )`);
    await q.query(`
      CREATE TABLE message_nonces (
        author_id text NOT NULL,
        nonce text NOT NULL,
        channel_id bigint NOT NULL,
        message_id bigint,
        seq bigint,
        message jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (author_id, nonce)
      )`);
    await q.query(`CREATE INDEX message_nonces_created_at ON message_nonces (created_at)`);
    await q.query(`CREATE INDEX message_nonces_message_id ON message_nonces (message_id)`);
    await q.query(`
      CREATE TABLE messages (
        channel_id bigint NOT NULL,
        seq bigint NOT NULL CHECK (seq > 0),
        id bigint NOT NULL UNIQUE,
        guild_id bigint NOT NULL,
        author_id text NOT NULL,
        author_username text NOT NULL,
        content text NOT NULL,
        mention_users text[] NOT NULL DEFAULT '{}',
        mention_everyone boolean NOT NULL DEFAULT false,
        reply_to bigint,
        created_at timestamptz NOT NULL,
        edited_at timestamptz,
        deleted_at timestamptz,
        PRIMARY KEY (channel_id, seq)
      )`);
    await q.query(
      `CREATE INDEX messages_mentions ON messages USING gin (mention_users) WHERE deleted_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE read_states (
        user_id text NOT NULL,
        channel_id bigint NOT NULL,
        last_read_seq bigint NOT NULL CHECK (last_read_seq >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, channel_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE read_states`);
    await q.query(`DROP TABLE messages`);
    await q.query(`DROP TABLE message_nonces`);
    await q.query(`DROP TABLE channel_sequences`);
  }
}
