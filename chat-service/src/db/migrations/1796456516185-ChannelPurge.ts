import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a deleted channel leaves to be removed (see purge/): `purge_jobs`, one row per channel
 * still to purge, written by the projector in the transaction that deletes the channel (or its
 * guild) and deleted by the purge worker once the channel's archive, read states, sequence,
 * nonces and Redis keys are gone; `deleted_channels`, the tombstones of deleted channels, which
 * the archiver consults so that a late chat.messages record writes nothing back. The tombstones
 * are not projection tables: a rebuild keeps them. Indexes so that a purge finds a channel's
 * read states and nonces without scanning.
 */
export class ChannelPurge1796456516185 implements MigrationInterface {
  name = 'ChannelPurge1796456516185';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE purge_jobs (
        channel_id bigint PRIMARY KEY,
        guild_id bigint NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        not_before timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX purge_jobs_due ON purge_jobs (not_before)`);
    await q.query(`
      CREATE TABLE deleted_channels (
        channel_id bigint PRIMARY KEY,
        guild_id bigint NOT NULL,
        deleted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX read_states_channel ON read_states (channel_id)`);
    await q.query(`CREATE INDEX message_nonces_channel ON message_nonces (channel_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX message_nonces_channel`);
    await q.query(`DROP INDEX read_states_channel`);
    await q.query(`DROP TABLE deleted_channels`);
    await q.query(`DROP TABLE purge_jobs`);
  }
}
