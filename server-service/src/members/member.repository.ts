import type { EntityManager } from 'typeorm';
import { MemberEntity, MemberRoleEntity } from './member.entity';

/** A member with their names (from users) and role ids. */
export interface MemberRow {
  guildId: string;
  userId: string;
  username: string;
  displayName: string;
  nickname: string | null;
  roleIds: string[];
  joinedAt: Date;
}

interface RawMember {
  guild_id: string;
  user_id: string;
  username: string;
  display_name: string;
  nickname: string | null;
  role_ids: string[];
  joined_at: Date;
}

const selectMembers = `
  SELECT m.guild_id, m.user_id, u.username, u.display_name, m.nickname, m.joined_at,
    COALESCE(ARRAY(SELECT mr.role_id::text FROM member_roles mr
      WHERE mr.guild_id = m.guild_id AND mr.user_id = m.user_id ORDER BY mr.role_id), '{}') AS role_ids
  FROM members m JOIN users u ON u.id = m.user_id`;

const toRow = (r: RawMember): MemberRow => ({
  guildId: String(r.guild_id),
  userId: r.user_id,
  username: r.username,
  displayName: r.display_name,
  nickname: r.nickname,
  roleIds: r.role_ids,
  joinedAt: r.joined_at,
});

/** The members and member_roles tables. */
export class MemberRepository {
  constructor(private readonly manager: EntityManager) {}

  async find(guildId: string, userId: string): Promise<MemberRow | null> {
    const rows: RawMember[] = await this.manager.query(
      `${selectMembers} WHERE m.guild_id = $1 AND m.user_id = $2`,
      [guildId, userId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Members by user id after the cursor. */
  async list(guildId: string, after: string | undefined, limit: number): Promise<MemberRow[]> {
    const rows: RawMember[] = await this.manager.query(
      `${selectMembers} WHERE m.guild_id = $1 AND ($2::text IS NULL OR m.user_id > $2)
       ORDER BY m.user_id LIMIT $3`,
      [guildId, after ?? null, limit],
    );
    return rows.map(toRow);
  }

  async count(guildId: string): Promise<number> {
    return this.manager.countBy(MemberEntity, { guildId });
  }

  /** Adds the member; false when they already were one. */
  async insert(guildId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO members (guild_id, user_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [guildId, userId],
    );
    return rows.length === 1;
  }

  /** Removes the member (and their roles, by cascade); false when they were not one. */
  async delete(guildId: string, userId: string): Promise<boolean> {
    const result = await this.manager.delete(MemberEntity, { guildId, userId });
    return (result.affected ?? 0) > 0;
  }

  async setNickname(guildId: string, userId: string, nickname: string | null): Promise<void> {
    await this.manager.update(MemberEntity, { guildId, userId }, { nickname });
  }

  /** Grants a role; false when the member already had it. */
  async addRole(guildId: string, userId: string, roleId: string): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO member_roles (guild_id, user_id, role_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING role_id`,
      [guildId, userId, roleId],
    );
    return rows.length === 1;
  }

  /** Takes a role away; false when the member did not have it. */
  async removeRole(guildId: string, userId: string, roleId: string): Promise<boolean> {
    const result = await this.manager.delete(MemberRoleEntity, { guildId, userId, roleId });
    return (result.affected ?? 0) > 0;
  }

  /** User ids of the members holding a role. */
  async holdersOf(guildId: string, roleId: string): Promise<string[]> {
    const rows = await this.manager.find(MemberRoleEntity, { where: { guildId, roleId } });
    return rows.map((r) => r.userId);
  }
}
