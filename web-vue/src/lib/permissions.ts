import {
  ALL_PERMISSIONS,
  Permissions,
  computeBasePermissions,
  computeChannelPermissions,
  hasPermission,
  PERMISSION_NAMES,
  permissionNames,
  type PermissionContext,
  type PermissionName,
} from '@echopulse/guild-contracts/permission-rules';
import type { Channel, Member, Role } from './types';

// The rules are server-service's and chat-service's own (guild-contracts), so the app shows
// exactly what the services will allow; every action is still authorized again by them.
export { ALL_PERMISSIONS, PERMISSION_NAMES, Permissions, type PermissionName };

/** The permissions the channel editors offer to allow or deny per role or member. */
export const CHANNEL_OVERWRITE_PERMISSIONS: PermissionName[] = [
  'VIEW_CHANNEL',
  'SEND_MESSAGES',
  'READ_MESSAGE_HISTORY',
  'MANAGE_MESSAGES',
  'MENTION_EVERYONE',
];

export function parseBits(value: string | undefined | null): bigint {
  if (!value || !/^\d+$/.test(value)) return 0n;
  return BigInt(value);
}

export function has(bits: bigint, name: PermissionName): boolean {
  return hasPermission(bits, Permissions[name]);
}

export const namesOf = permissionNames;

export interface GuildPermissionInput {
  guild: { id: string; ownerId: string };
  userId: string;
  /** The caller's membership; undefined when they are no member (a realm admin or moderator looking in). */
  member: Pick<Member, 'roleIds'> | undefined;
  roles: Role[];
  realmRoles: string[];
}

function context(input: GuildPermissionInput): PermissionContext {
  return {
    guild: input.guild,
    roles: input.roles.map((r) => ({
      id: r.id,
      position: r.position,
      permissions: parseBits(r.permissions),
    })),
    member: { userId: input.userId, roleIds: input.member?.roleIds ?? [] },
    // The owner is always a member, even before the member list has loaded. A guild that banned
    // the caller never reaches the app (the services answer 404), so `banned` is false here.
    isMember: input.member !== undefined || input.userId === input.guild.ownerId,
    banned: false,
    realmRoles: input.realmRoles,
  };
}

/** The caller's guild-wide permissions (owner, roles, ADMINISTRATOR, realm roles). */
export function guildPermissions(input: GuildPermissionInput): bigint {
  return computeBasePermissions(context(input));
}

/** The caller's permissions in one channel: guild permissions, then its overwrites. */
export function channelPermissions(
  input: GuildPermissionInput,
  channel: Pick<Channel, 'overwrites'>,
): bigint {
  return computeChannelPermissions(
    context(input),
    channel.overwrites.map((o) => ({
      id: o.id,
      type: o.type,
      allow: parseBits(o.allow),
      deny: parseBits(o.deny),
    })),
  );
}
