import type { EntityManager } from 'typeorm';
import { returnedRows } from '../common/ids';
import { InviteEntity } from './invite.entity';

/** The invites table. */
export class InviteRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(invite: InviteEntity): Promise<void> {
    await this.manager.insert(InviteEntity, invite);
  }

  find(code: string): Promise<InviteEntity | null> {
    return this.manager.findOneBy(InviteEntity, { code });
  }

  listByGuild(guildId: string): Promise<InviteEntity[]> {
    return this.manager.find(InviteEntity, {
      where: { guildId },
      order: { createdAt: 'ASC', code: 'ASC' },
    });
  }

  async revoke(code: string): Promise<void> {
    await this.manager.update(InviteEntity, { code }, { revokedAt: new Date() });
  }

  /**
   * Counts one use, in one conditional UPDATE so that concurrent accepts never pass max_uses:
   * Postgres re-checks the WHERE clause on the row's latest version after waiting for its lock.
   * False when the invite is revoked, expired or used up.
   */
  async consume(code: string): Promise<boolean> {
    const result: unknown = await this.manager.query(
      `UPDATE invites SET uses = uses + 1
       WHERE code = $1 AND revoked_at IS NULL
         AND (expires_at IS NULL OR expires_at > now())
         AND (max_uses = 0 OR uses < max_uses)
       RETURNING code`,
      [code],
    );
    return returnedRows(result).length === 1;
  }
}
