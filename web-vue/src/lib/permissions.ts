import type { Channel, Member, Role } from './types';

/**
 * Discord's permission bits, as server-service uses them (guild-contracts/src/permissions.ts).
 * Copied rather than imported: that module pulls in server-side code. The UI uses these only to
 * decide what to show; every action is authorized again by the services.
 */
export const Permissions = {
  CREATE_INSTANT_INVITE: 1n << 0n,
  KICK_MEMBERS: 1n << 1n,
  BAN_MEMBERS: 1n << 2n,
  ADMINISTRATOR: 1n << 3n,
  MANAGE_CHANNELS: 1n << 4n,
  MANAGE_GUILD: 1n << 5n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  MANAGE_MESSAGES: 1n << 13n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MENTION_EVERYONE: 1n << 17n,
  MANAGE_ROLES: 1n << 28n,
} as const;

export type PermissionName = keyof typeof Permissions;

export const PERMISSION_NAMES = Object.keys(Permissions) as PermissionName[];

/** The permissions the channel editors offer to allow or deny per role or member. */
export const CHANNEL_OVERWRITE_PERMISSIONS: PermissionName[] = [
  'VIEW_CHANNEL',
  'SEND_MESSAGES',
  'READ_MESSAGE_HISTORY',
  'MANAGE_MESSAGES',
  'MENTION_EVERYONE',
];

export const ALL_PERMISSIONS = PERMISSION_NAMES.reduce((all, n) => all | Permissions[n], 0n);

/** Realm `moderator`'s reach in every guild (keycloak/README.md). */
const REALM_MODERATOR =
  Permissions.KICK_MEMBERS |
  Permissions.BAN_MEMBERS |
  Permissions.MANAGE_MESSAGES |
  Permissions.VIEW_CHANNEL |
  Permissions.READ_MESSAGE_HISTORY;

export function parseBits(value: string | undefined | null): bigint {
  if (!value || !/^\d+$/.test(value)) return 0n;
  return BigInt(value);
}

export function has(bits: bigint, name: PermissionName): boolean {
  return (bits & Permissions.ADMINISTRATOR) !== 0n || (bits & Permissions[name]) !== 0n;
}

export function namesOf(bits: bigint): PermissionName[] {
  return PERMISSION_NAMES.filter((n) => (bits & Permissions[n]) !== 0n);
}

export interface GuildPermissionInput {
  guild: { id: string; ownerId: string };
  userId: string;
  member: Pick<Member, 'roleIds'> | undefined;
  roles: Role[];
  realmRoles: string[];
}

/**
 * The caller's guild-wide permissions, as server-service computes them: the owner and realm
 * `admin` hold everything; otherwise @everyone (the role whose id is the guild id) OR the member's
 * roles, with ADMINISTRATOR meaning everything; realm `moderator` adds its fixed set.
 */
export function guildPermissions(input: GuildPermissionInput): bigint {
  const { guild, userId, member, roles, realmRoles } = input;
  if (guild.ownerId === userId || realmRoles.includes('admin')) return ALL_PERMISSIONS;
  let bits = 0n;
  const own = new Set(member?.roleIds ?? []);
  for (const role of roles) {
    if (role.id === guild.id || own.has(role.id)) bits |= parseBits(role.permissions);
  }
  if ((bits & Permissions.ADMINISTRATOR) !== 0n) return ALL_PERMISSIONS;
  if (realmRoles.includes('moderator')) bits |= REALM_MODERATOR;
  return bits;
}

/** Channel overwrites on top of guild permissions (Discord's order: @everyone, roles, member). */
export function channelPermissions(
  base: bigint,
  channel: Pick<Channel, 'overwrites'>,
  guildId: string,
  userId: string,
  member: Pick<Member, 'roleIds'> | undefined,
): bigint {
  if ((base & Permissions.ADMINISTRATOR) !== 0n) return ALL_PERMISSIONS;
  let bits = base;
  const everyone = channel.overwrites.find((o) => o.type === 'role' && o.id === guildId);
  if (everyone) bits = (bits & ~parseBits(everyone.deny)) | parseBits(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  const own = new Set(member?.roleIds ?? []);
  for (const o of channel.overwrites) {
    if (o.type === 'role' && own.has(o.id)) {
      allow |= parseBits(o.allow);
      deny |= parseBits(o.deny);
    }
  }
  bits = (bits & ~deny) | allow;
  const mine = channel.overwrites.find((o) => o.type === 'member' && o.id === userId);
  if (mine) bits = (bits & ~parseBits(mine.deny)) | parseBits(mine.allow);
  return bits;
}
