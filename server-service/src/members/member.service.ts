import {
  canActOnMember,
  canGrantPermissions,
  canManageRole,
  computeBasePermissions,
  permissionNames,
  serverEvent,
} from '@echopulse/guild-contracts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  type Principal,
} from '@echopulse/service-kit';
import type { ServiceDeps } from '../common/context';
import { pageOf } from '../common/types';
import type { Repositories } from '../db/database';
import {
  loadGuildAccess,
  requirePermission,
  toRoleInput,
  type GuildAccess,
} from '../permissions/guild-access';
import type { MemberRow } from './member.repository';
import {
  memberSnapshot,
  toMember,
  type Member,
  type MemberPage,
  type UpdateMemberBody,
} from './member.types';

/** Memberships: listing, nicknames, roles, kicks and leaving. */
export class MemberService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(
    actor: Principal,
    guildId: string,
    after: string | undefined,
    limit: number,
  ): Promise<MemberPage> {
    return this.deps.db.read(async (r) => {
      await loadGuildAccess(r, actor, guildId);
      const rows = await r.members.list(guildId, after, limit);
      return pageOf(rows.map(toMember), limit, (m) => m.userId);
    });
  }

  async get(actor: Principal, guildId: string, userId: string): Promise<Member> {
    return this.deps.db.read(async (r) => {
      await loadGuildAccess(r, actor, guildId);
      return toMember(await this.findMember(r, guildId, userId));
    });
  }

  private async findMember(r: Repositories, guildId: string, userId: string): Promise<MemberRow> {
    const member = await r.members.find(guildId, userId);
    if (!member) throw new NotFoundError('Member');
    return member;
  }

  /**
   * The caller may change a role of a member: MANAGE_ROLES above the role, and above the member
   * unless it is the caller. Adding a role also needs every permission it grants (Discord: one
   * grants only what one holds), else anyone with MANAGE_ROLES could hand out ADMINISTRATOR through
   * a role below theirs; removing one needs only the hierarchy, as in Discord.
   */
  private checkRoleChange(
    access: GuildAccess,
    target: MemberRow,
    roleId: string,
    change: 'add' | 'remove',
  ): void {
    if (roleId === access.guild.id) {
      throw new UnprocessableError(
        'Every member has @everyone; it is not assigned.',
        'everyone_role_fixed',
      );
    }
    const role = access.roles.find((x) => x.id === roleId);
    if (!role) {
      throw new UnprocessableError(`Role ${roleId} is not a role of this guild.`, 'unknown_role');
    }
    if (!canManageRole(access.ctx, toRoleInput(role))) {
      throw new ForbiddenError(
        'You can only assign roles below your highest role, with MANAGE_ROLES.',
        'role_hierarchy',
      );
    }
    if (
      target.userId !== access.ctx.member.userId &&
      !canActOnMember(access.ctx, target, 'roles')
    ) {
      throw new ForbiddenError(
        'You can only change the roles of members below you.',
        'member_hierarchy',
      );
    }
    const permissions = BigInt(role.permissions);
    if (change === 'add' && !canGrantPermissions(access.ctx, permissions)) {
      const missing = permissionNames(permissions & ~computeBasePermissions(access.ctx));
      throw new ForbiddenError(
        `Role "${role.name}" grants ${missing.join(', ')}, which you do not have; only a member ` +
          'who holds every permission of a role (or the owner) can assign it.',
        'permissions_not_held',
      );
    }
  }

  /**
   * Changes a member's nickname (one's own freely; another's with MANAGE_GUILD and the role
   * hierarchy) and/or replaces their roles (each added or removed role checked as by PUT/DELETE
   * …/roles/{roleId}).
   */
  async update(
    actor: Principal,
    guildId: string,
    userId: string,
    body: UpdateMemberBody,
  ): Promise<Member> {
    return this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      const target = await this.findMember(r, guildId, userId);
      const self = userId === actor.id;
      if (body.nickname !== undefined && !self) {
        requirePermission(access.base, 'MANAGE_GUILD');
        if (!canActOnMember(access.ctx, target, 'nickname')) {
          throw new ForbiddenError('You can only rename members below you.', 'member_hierarchy');
        }
      }
      let rolesChanged = false;
      if (body.roleIds !== undefined) {
        const wanted = new Set(body.roleIds);
        const had = new Set(target.roleIds);
        const added = [...wanted].filter((id) => !had.has(id));
        const removed = [...had].filter((id) => !wanted.has(id));
        for (const roleId of added) this.checkRoleChange(access, target, roleId, 'add');
        for (const roleId of removed) this.checkRoleChange(access, target, roleId, 'remove');
        for (const roleId of added) await r.members.addRole(guildId, userId, roleId);
        for (const roleId of removed) await r.members.removeRole(guildId, userId, roleId);
        rolesChanged = added.length + removed.length > 0;
      }
      if (body.nickname !== undefined) {
        await r.members.setNickname(guildId, userId, body.nickname?.trim() ?? null);
      }
      const updated = await this.findMember(r, guildId, userId);
      if (body.nickname !== undefined || rolesChanged) {
        await r.events.append(
          serverEvent('member.updated', guildId, { member: memberSnapshot(updated) }),
        );
      }
      if (rolesChanged) {
        await r.events.append(
          serverEvent('member.roles-changed', guildId, {
            guildId,
            userId,
            roleIds: updated.roleIds,
          }),
        );
      }
      return toMember(updated);
    });
  }

  /** Grants one role; 204 whether or not the member had it, an event only if they did not. */
  async addRole(actor: Principal, guildId: string, userId: string, roleId: string): Promise<void> {
    await this.changeRole(actor, guildId, userId, roleId, 'add');
  }

  async removeRole(
    actor: Principal,
    guildId: string,
    userId: string,
    roleId: string,
  ): Promise<void> {
    await this.changeRole(actor, guildId, userId, roleId, 'remove');
  }

  private async changeRole(
    actor: Principal,
    guildId: string,
    userId: string,
    roleId: string,
    change: 'add' | 'remove',
  ): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      if (roleId !== guildId && !access.roles.some((x) => x.id === roleId)) {
        throw new NotFoundError('Role');
      }
      const target = await this.findMember(r, guildId, userId);
      this.checkRoleChange(access, target, roleId, change);
      const changed =
        change === 'add'
          ? await r.members.addRole(guildId, userId, roleId)
          : await r.members.removeRole(guildId, userId, roleId);
      if (changed) {
        const updated = await this.findMember(r, guildId, userId);
        await r.events.append(
          serverEvent('member.roles-changed', guildId, {
            guildId,
            userId,
            roleIds: updated.roleIds,
          }),
        );
      }
    });
  }

  /** Removes another member (KICK_MEMBERS and the hierarchy; realm moderators may kick anyone but the owner). */
  async kick(actor: Principal, guildId: string, userId: string): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      if (userId === actor.id) {
        throw new UnprocessableError(
          'You cannot kick yourself; leave with DELETE /guilds/{guildId}/members/@me.',
          'kick_self',
        );
      }
      requirePermission(access.base, 'KICK_MEMBERS');
      const target = await this.findMember(r, guildId, userId);
      if (!canActOnMember(access.ctx, target, 'kick')) {
        throw new ForbiddenError(
          userId === access.guild.ownerId
            ? 'Nobody can kick the owner.'
            : 'You can only kick members below your highest role.',
          'member_hierarchy',
        );
      }
      await r.members.delete(guildId, userId);
      await r.events.append(serverEvent('member.kicked', guildId, { guildId, userId }));
    });
  }

  /** The caller leaves the guild; the owner must transfer ownership first (409). */
  async leave(actor: Principal, guildId: string): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      if (!access.member) throw new NotFoundError('Member');
      if (access.guild.ownerId === actor.id) {
        throw new ConflictError(
          'The owner cannot leave the guild; transfer ownership first (PATCH /guilds/{guildId} with ownerId) or delete the guild.',
          'owner_cannot_leave',
        );
      }
      await r.members.delete(guildId, actor.id);
      await r.events.append(serverEvent('member.left', guildId, { guildId, userId: actor.id }));
    });
  }
}
