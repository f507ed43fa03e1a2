import type { MigrationInterface, QueryRunner } from 'typeorm';

/** ADD_REACTIONS (Discord's 1 << 6), written out: migrations never import app code. */
const ADD_REACTIONS = 64;

/**
 * Reactions (see reactions/): one row per user, message and emoji, so that a retried PUT adds
 * nothing twice; the channel leads the key so that the purge of a deleted channel finds its rows
 * by index. No foreign key to `messages`: a message is reactable before the archiver has written
 * it. The projection's @everyone roles get ADD_REACTIONS as server-service's migration
 * AddReactionsToEveryone gives them (the projection otherwise learns it at the role's next change).
 */
export class Reactions1796500000000 implements MigrationInterface {
  name = 'Reactions1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reactions (
        channel_id bigint NOT NULL,
        message_id bigint NOT NULL,
        emoji text NOT NULL CHECK (octet_length(emoji) BETWEEN 1 AND 64),
        user_id text NOT NULL,
        -- as of the reaction, as messages keep their author's: the users list needs no join
        username text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel_id, message_id, emoji, user_id)
      )`);
    await q.query(`UPDATE roles SET permissions = permissions | $1 WHERE id = guild_id`, [
      ADD_REACTIONS,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE roles SET permissions = permissions & ~$1::bigint`, [ADD_REACTIONS]);
    await q.query(
      `UPDATE channel_overwrites SET allow = allow & ~$1::bigint, deny = deny & ~$1::bigint`,
      [ADD_REACTIONS],
    );
    await q.query(`DROP TABLE reactions`);
  }
}
