import {
  canGrantPermissions,
  canManageRole,
  canSetRolePosition,
  parsePermissions,
  serializePermissions,
  serverEvent,
} from '@echopulse/guild-contracts';
import {
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  type Principal,
} from '@echopulse/service-kit';
import type { ServiceDeps } from '../common/context';
import { reorder } from '../common/positions';
import type { Repositories } from '../db/database';
import {
  loadGuildAccess,
  requirePermission,
  toRoleInput,
  type GuildAccess,
} from '../permissions/guild-access';
import type { RoleEntity } from './role.entity';
import {
  roleSnapshot,
  toRole,
  type CreateRoleBody,
  type Role,
  type UpdateRoleBody,
} from './role.types';
import { channelSnapshot } from '../channels/channel.types';

/** Guild roles: their permissions, their order (the hierarchy) and their deletion. */
export class RoleService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Principal, guildId: string): Promise<Role[]> {
    return this.deps.db.read(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId);
      return access.roles.map(toRole);
    });
  }

  private checkGrant(access: GuildAccess, permissions: bigint): void {
    if (!canGrantPermissions(access.ctx, permissions)) {
      throw new ForbiddenError(
        'A role may only grant permissions you have yourself.',
        'permissions_not_held',
      );
    }
  }

  /** Writes the new positions of roles moved by a reorder and announces each as role.updated. */
  private async applyPositions(
    r: Repositories,
    guildId: string,
    moves: { item: RoleEntity; position: number }[],
    skip?: string,
  ): Promise<void> {
    for (const { item, position } of moves) {
      if (item.id === skip) continue;
      await r.roles.update(guildId, item.id, { position });
      await r.events.append(
        serverEvent('role.updated', guildId, { role: roleSnapshot({ ...item, position }) }),
      );
    }
  }

  /**
   * Creates a role just above @everyone (position 1), as Discord does, moving the others up one
   * (MANAGE_ROLES; its permissions must be ones the caller has).
   */
  async create(actor: Principal, guildId: string, body: CreateRoleBody): Promise<Role> {
    const permissions = parsePermissions(body.permissions ?? '0');
    const id = this.deps.ids.next();
    return this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      const role: RoleEntity = {
        id,
        guildId,
        name: body.name.trim(),
        color: body.color ?? 0,
        position: 1,
        permissions: serializePermissions(permissions),
        mentionable: body.mentionable ?? false,
        createdAt: new Date(),
      };
      requirePermission(access.base, 'MANAGE_ROLES');
      this.checkGrant(access, permissions);
      const others = access.roles.filter((x) => x.id !== guildId);
      const moves = reorder(others, null, 1, 1, role);
      // positions are unique per guild at commit (deferred), so shifting before inserting is fine
      await this.applyPositions(r, guildId, moves, id);
      await r.roles.insert(role);
      await r.events.append(serverEvent('role.created', guildId, { role: roleSnapshot(role) }));
      return toRole(role);
    });
  }

  private findRole(access: GuildAccess, roleId: string): RoleEntity {
    const role = access.roles.find((x) => x.id === roleId);
    if (!role) throw new NotFoundError('Role');
    return role;
  }

  /**
   * Edits a role. Needs MANAGE_ROLES and a highest role strictly above it (the owner and realm
   * admins excepted); @everyone keeps its name and position.
   */
  async update(
    actor: Principal,
    guildId: string,
    roleId: string,
    body: UpdateRoleBody,
  ): Promise<Role> {
    const permissions =
      body.permissions !== undefined ? parsePermissions(body.permissions) : undefined;
    return this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      const role = this.findRole(access, roleId);
      if (!canManageRole(access.ctx, toRoleInput(role))) {
        throw new ForbiddenError(
          'You can only manage roles below your highest role, with MANAGE_ROLES.',
          'role_hierarchy',
        );
      }
      const everyone = roleId === guildId;
      if (everyone && (body.name !== undefined || body.position !== undefined)) {
        throw new UnprocessableError(
          '@everyone keeps its name and position.',
          'everyone_role_fixed',
        );
      }
      if (permissions !== undefined) this.checkGrant(access, permissions);
      const patch = {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.color !== undefined ? { color: body.color } : {}),
        ...(body.mentionable !== undefined ? { mentionable: body.mentionable } : {}),
        ...(permissions !== undefined ? { permissions: serializePermissions(permissions) } : {}),
      };
      if (Object.keys(patch).length) await r.roles.update(guildId, roleId, patch);
      let updated: RoleEntity = { ...role, ...patch };
      if (body.position !== undefined && body.position !== role.position) {
        if (!canSetRolePosition(access.ctx, toRoleInput(role), body.position)) {
          throw new ForbiddenError(
            'You can only move a role to a position below your highest role.',
            'role_hierarchy',
          );
        }
        const others = access.roles.filter((x) => x.id !== guildId);
        const moves = reorder(others, roleId, body.position, 1);
        const own = moves.find((m) => m.item.id === roleId);
        await this.applyPositions(r, guildId, moves, roleId);
        if (own) {
          await r.roles.update(guildId, roleId, { position: own.position });
          updated = { ...updated, position: own.position };
        }
      }
      await r.events.append(serverEvent('role.updated', guildId, { role: roleSnapshot(updated) }));
      return toRole(updated);
    });
  }

  /**
   * Deletes a role (same rights as editing it; never @everyone). Its holders lose it and the
   * channels' overwrites for it go too; each of those changes is announced.
   */
  async delete(actor: Principal, guildId: string, roleId: string): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      const role = this.findRole(access, roleId);
      if (roleId === guildId) {
        throw new UnprocessableError('@everyone cannot be deleted.', 'everyone_role_fixed');
      }
      if (!canManageRole(access.ctx, toRoleInput(role))) {
        throw new ForbiddenError(
          'You can only manage roles below your highest role, with MANAGE_ROLES.',
          'role_hierarchy',
        );
      }
      const holders = await r.members.holdersOf(guildId, roleId);
      const channels = await r.channels.deleteOverwritesFor(guildId, roleId);
      await r.roles.delete(guildId, roleId);
      await r.events.append(serverEvent('role.deleted', guildId, { guildId, roleId }));
      for (const userId of holders) {
        const member = await r.members.find(guildId, userId);
        if (member) {
          await r.events.append(
            serverEvent('member.roles-changed', guildId, {
              guildId,
              userId,
              roleIds: member.roleIds,
            }),
          );
        }
      }
      for (const channelId of new Set(channels)) {
        const channel = (await r.channels.find(channelId))!;
        await r.events.append(
          serverEvent('channel.overwrites-changed', guildId, {
            guildId,
            channelId,
            overwrites: channelSnapshot(channel).overwrites,
          }),
        );
      }
    });
  }
}
