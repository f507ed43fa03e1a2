import {
  canAccessGuild,
  computeBasePermissions,
  computeChannelPermissions,
  hasPermission,
  Permissions,
  permissionNames,
  type OverwriteInput,
  type PermissionContext,
  type PermissionName,
  type RoleInput,
} from '@echopulse/guild-contracts';
import { ForbiddenError, NotFoundError, type Principal } from '@echopulse/service-kit';
import type { ChannelRow } from '../channels/channel.repository';
import type { Repositories } from '../db/database';
import type { GuildEntity } from '../guilds/guild.entity';
import type { MemberRow } from '../members/member.repository';
import type { RoleEntity } from '../roles/role.entity';

/** What a caller may do in one guild, as computed by guild-contracts' algorithm. */
export interface GuildAccess {
  guild: GuildEntity;
  roles: RoleEntity[];
  /** The caller's membership; null for a realm admin or moderator acting from outside. */
  member: MemberRow | null;
  ctx: PermissionContext;
  /** Guild-level permissions of the caller. */
  base: bigint;
}

export const toRoleInput = (role: RoleEntity): RoleInput => ({
  id: role.id,
  position: role.position,
  permissions: BigInt(role.permissions),
});

export const toOverwriteInput = (o: {
  targetId: string;
  type: 'role' | 'member';
  allow: string;
  deny: string;
}): OverwriteInput => ({
  id: o.targetId,
  type: o.type,
  allow: BigInt(o.allow),
  deny: BigInt(o.deny),
});

/**
 * Loads the guild as the caller sees it, with the facts guild-contracts' rules need (member? banned?
 * realm roles) — the same facts chat-service feeds them. Whoever may not access the guild
 * (`canAccessGuild`: non-members without a realm role, and anyone the guild banned, realm
 * moderators and admins included) gets 404, as if the guild did not exist, so guild ids cannot be
 * probed. With `lock`, the guild row stays locked until the transaction ends (see
 * GuildRepository.findLocked).
 */
export async function loadGuildAccess(
  repos: Repositories,
  actor: Principal,
  guildId: string,
  options: { lock?: 'update' | 'share'; what?: string } = {},
): Promise<GuildAccess> {
  const what = options.what ?? 'Guild';
  const guild = options.lock
    ? await repos.guilds.findLocked(guildId, options.lock)
    : await repos.guilds.find(guildId);
  if (!guild) throw new NotFoundError(what);
  const member = await repos.members.find(guildId, actor.id);
  const banned = (await repos.bans.find(guildId, actor.id)) !== null;
  const roles = await repos.roles.listByGuild(guildId);
  const ctx: PermissionContext = {
    guild: { id: guild.id, ownerId: guild.ownerId },
    roles: roles.map(toRoleInput),
    member: { userId: actor.id, roleIds: member?.roleIds ?? [] },
    isMember: member !== null,
    banned,
    realmRoles: actor.roles,
  };
  if (!canAccessGuild(ctx)) throw new NotFoundError(what);
  return { guild, roles, member, ctx, base: computeBasePermissions(ctx) };
}

/** A channel as the caller sees it: 404 unless the caller may VIEW_CHANNEL it. */
export interface ChannelAccess extends GuildAccess {
  channel: ChannelRow;
  /** Channel-level permissions of the caller. */
  perms: bigint;
}

export async function loadChannelAccess(
  repos: Repositories,
  actor: Principal,
  channelId: string,
  options: { lock?: 'update' | 'share' } = {},
): Promise<ChannelAccess> {
  const found = await repos.channels.find(channelId);
  if (!found) throw new NotFoundError('Channel');
  const access = await loadGuildAccess(repos, actor, found.guildId, {
    ...options,
    what: 'Channel',
  });
  // Read again under the guild lock: the channel may have changed while we waited for it.
  const channel = options.lock ? await repos.channels.find(channelId) : found;
  if (!channel) throw new NotFoundError('Channel');
  const perms = computeChannelPermissions(access.ctx, channel.overwrites.map(toOverwriteInput));
  if (!hasPermission(perms, Permissions.VIEW_CHANNEL)) throw new NotFoundError('Channel');
  return { ...access, channel, perms };
}

/** Throws 403 `missing_permission` unless `perms` hold `name` (ADMINISTRATOR holds all). */
export function requirePermission(perms: bigint, name: PermissionName): void {
  if (!hasPermission(perms, Permissions[name])) {
    throw new ForbiddenError(`This needs the ${name} permission.`, 'missing_permission');
  }
}

export { permissionNames };
