import type { EntityManager } from 'typeorm';
import { GuildEntity } from './guild.entity';

/** The guilds table. */
export class GuildRepository {
  constructor(private readonly manager: EntityManager) {}

  find(id: string): Promise<GuildEntity | null> {
    return this.manager.findOneBy(GuildEntity, { id });
  }

  /**
   * Reads the guild and locks its row until the transaction ends: every change inside a guild
   * takes this lock first, so checks (hierarchy, positions, bans) and writes cannot interleave.
   * `share` lets concurrent joins proceed together while excluding other changes.
   */
  findLocked(id: string, mode: 'update' | 'share' = 'update'): Promise<GuildEntity | null> {
    return this.manager
      .createQueryBuilder(GuildEntity, 'g')
      .where('g.id = :id', { id })
      .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
      .getOne();
  }

  async insert(guild: GuildEntity): Promise<void> {
    await this.manager.insert(GuildEntity, guild);
  }

  async update(
    id: string,
    patch: Partial<Pick<GuildEntity, 'name' | 'iconUrl' | 'ownerId'>>,
  ): Promise<void> {
    await this.manager.update(GuildEntity, { id }, patch);
  }

  /** Deletes the guild; the database cascades to everything in it. */
  async delete(id: string): Promise<void> {
    await this.manager.delete(GuildEntity, { id });
  }

  /** Guilds the user is a member of, by id, after the cursor. */
  listForMember(userId: string, after: string | undefined, limit: number): Promise<GuildEntity[]> {
    const q = this.manager
      .createQueryBuilder(GuildEntity, 'g')
      .innerJoin('members', 'm', 'm.guild_id = g.id AND m.user_id = :userId', { userId })
      .orderBy('g.id', 'ASC')
      .limit(limit);
    if (after) q.andWhere('g.id > :after', { after });
    return q.getMany();
  }

  /** Every guild, by id, after the cursor (realm admins). */
  /** Every guild except those that banned `userId` (for realm admins, whom a ban keeps out). */
  listAllNotBanning(
    userId: string,
    after: string | undefined,
    limit: number,
  ): Promise<GuildEntity[]> {
    const q = this.manager
      .createQueryBuilder(GuildEntity, 'g')
      .where('NOT EXISTS (SELECT 1 FROM bans b WHERE b.guild_id = g.id AND b.user_id = :userId)', {
        userId,
      })
      .orderBy('g.id', 'ASC')
      .limit(limit);
    if (after) q.andWhere('g.id > :after', { after });
    return q.getMany();
  }
}
