import { canActOnMember, serverEvent } from '@echopulse/guild-contracts';
import {
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  type Principal,
} from '@echopulse/service-kit';
import type { ServiceDeps } from '../common/context';
import { pageOf } from '../common/types';
import { loadGuildAccess, requirePermission } from '../permissions/guild-access';
import { toBan, type Ban, type BanPage, type PutBanBody } from './ban.types';

/** Bans: a banned user is removed from the guild and cannot join it again until unbanned. */
export class BanService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(
    actor: Principal,
    guildId: string,
    after: string | undefined,
    limit: number,
  ): Promise<BanPage> {
    return this.deps.db.read(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId);
      requirePermission(access.base, 'BAN_MEMBERS');
      const rows = await r.bans.list(guildId, after, limit);
      return pageOf(rows.map(toBan), limit, (b) => b.userId);
    });
  }

  async get(actor: Principal, guildId: string, userId: string): Promise<Ban> {
    return this.deps.db.read(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId);
      requirePermission(access.base, 'BAN_MEMBERS');
      const ban = await r.bans.find(guildId, userId);
      if (!ban) throw new NotFoundError('Ban');
      return toBan(ban);
    });
  }

  /**
   * Bans a user (BAN_MEMBERS; a member also by the role hierarchy; realm moderators ban anyone but
   * the owner). A member is removed at once. Banning again only updates the reason.
   */
  async put(actor: Principal, guildId: string, userId: string, body: PutBanBody): Promise<Ban> {
    return this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      requirePermission(access.base, 'BAN_MEMBERS');
      if (userId === actor.id) throw new UnprocessableError('You cannot ban yourself.', 'ban_self');
      if (userId === access.guild.ownerId) {
        throw new ForbiddenError('Nobody can ban the owner.', 'member_hierarchy');
      }
      if (!(await r.users.find(userId))) throw new NotFoundError('User');
      const member = await r.members.find(guildId, userId);
      if (member && !canActOnMember(access.ctx, member, 'ban')) {
        throw new ForbiddenError(
          'You can only ban members below your highest role.',
          'member_hierarchy',
        );
      }
      const reason = body.reason?.trim() || null;
      const created = await r.bans.put({ guildId, userId, reason, bannedBy: actor.id });
      if (member) await r.members.delete(guildId, userId);
      if (created || member) {
        await r.events.append(serverEvent('member.banned', guildId, { guildId, userId, reason }));
      }
      return toBan((await r.bans.find(guildId, userId))!);
    });
  }

  async delete(actor: Principal, guildId: string, userId: string): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      requirePermission(access.base, 'BAN_MEMBERS');
      if (!(await r.bans.delete(guildId, userId))) throw new NotFoundError('Ban');
      await r.events.append(serverEvent('member.unbanned', guildId, { guildId, userId }));
    });
  }
}
