import type { MigrationInterface, QueryRunner } from 'typeorm';

/** ADD_REACTIONS (Discord's 1 << 6), written out: migrations never import app code. */
const ADD_REACTIONS = 64;

/**
 * ADD_REACTIONS joined DEFAULT_EVERYONE_PERMISSIONS after guilds existed: their @everyone roles
 * get it, as a new guild's has it and as Discord's @everyone has it. Other roles are left as their
 * owners set them. Down takes the bit out of every role and overwrite, because the code from
 * before it refuses an unknown bit on read (guild-contracts' parsePermissions).
 */
export class AddReactionsToEveryone1796500000000 implements MigrationInterface {
  name = 'AddReactionsToEveryone1796500000000';

  async up(q: QueryRunner): Promise<void> {
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
  }
}
