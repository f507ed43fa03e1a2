import type { EntityManager } from 'typeorm';
import { BanEntity } from './ban.entity';

export interface BanRow extends BanEntity {
  username: string;
  displayName: string;
}

interface RawBan {
  guild_id: string;
  user_id: string;
  reason: string | null;
  banned_by: string;
  created_at: Date;
  username: string;
  display_name: string;
}

const toRow = (r: RawBan): BanRow => ({
  guildId: String(r.guild_id),
  userId: r.user_id,
  reason: r.reason,
  bannedBy: r.banned_by,
  createdAt: r.created_at,
  username: r.username,
  displayName: r.display_name,
});

const selectBans = `SELECT b.*, u.username, u.display_name FROM bans b JOIN users u ON u.id = b.user_id`;

/** The bans table. */
export class BanRepository {
  constructor(private readonly manager: EntityManager) {}

  async find(guildId: string, userId: string): Promise<BanRow | null> {
    const rows: RawBan[] = await this.manager.query(
      `${selectBans} WHERE b.guild_id = $1 AND b.user_id = $2`,
      [guildId, userId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async list(guildId: string, after: string | undefined, limit: number): Promise<BanRow[]> {
    const rows: RawBan[] = await this.manager.query(
      `${selectBans} WHERE b.guild_id = $1 AND ($2::text IS NULL OR b.user_id > $2)
       ORDER BY b.user_id LIMIT $3`,
      [guildId, after ?? null, limit],
    );
    return rows.map(toRow);
  }

  /** Bans the user, or replaces the reason of an existing ban; true when the ban is new. */
  async put(ban: Omit<BanEntity, 'createdAt'>): Promise<boolean> {
    const rows: { inserted: boolean }[] = await this.manager.query(
      `INSERT INTO bans (guild_id, user_id, reason, banned_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (guild_id, user_id) DO UPDATE SET reason = EXCLUDED.reason
       RETURNING (xmax = 0) AS inserted`,
      [ban.guildId, ban.userId, ban.reason, ban.bannedBy],
    );
    return rows[0]?.inserted === true;
  }

  /** False when there was no ban. */
  async delete(guildId: string, userId: string): Promise<boolean> {
    const result = await this.manager.delete(BanEntity, { guildId, userId });
    return (result.affected ?? 0) > 0;
  }
}
