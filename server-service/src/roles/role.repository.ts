import type { EntityManager } from 'typeorm';
import { RoleEntity } from './role.entity';

/** The roles table. */
export class RoleRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Every role of the guild, lowest position first (@everyone is position 0). */
  listByGuild(guildId: string): Promise<RoleEntity[]> {
    return this.manager.find(RoleEntity, { where: { guildId }, order: { position: 'ASC' } });
  }

  find(guildId: string, id: string): Promise<RoleEntity | null> {
    return this.manager.findOneBy(RoleEntity, { guildId, id });
  }

  async insert(role: RoleEntity): Promise<void> {
    await this.manager.insert(RoleEntity, role);
  }

  async update(
    guildId: string,
    id: string,
    patch: Partial<Pick<RoleEntity, 'name' | 'color' | 'position' | 'permissions' | 'mentionable'>>,
  ): Promise<void> {
    await this.manager.update(RoleEntity, { guildId, id }, patch);
  }

  async delete(guildId: string, id: string): Promise<void> {
    await this.manager.delete(RoleEntity, { guildId, id });
  }
}
