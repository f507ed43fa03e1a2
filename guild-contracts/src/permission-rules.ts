// Free of imports on purpose: the web app (web-vue) computes what to show with these very rules,
// in the browser. The wire format's checks, which raise HTTP errors, are in permissions.ts.

/**
 * Guild permission bits, with Discord's bit values so that clients and documentation written for
 * Discord read the same here. Bitfields are `bigint` in code and decimal strings on the wire
 * (JSON numbers lose precision past 2^53, and Discord's bits go beyond that).
 */
export const Permissions = {
  CREATE_INSTANT_INVITE: 1n << 0n,
  KICK_MEMBERS: 1n << 1n,
  BAN_MEMBERS: 1n << 2n,
  ADMINISTRATOR: 1n << 3n,
  MANAGE_CHANNELS: 1n << 4n,
  MANAGE_GUILD: 1n << 5n,
  /** React with an emoji no one has used on the message yet; joining an existing one needs only VIEW_CHANNEL and READ_MESSAGE_HISTORY. */
  ADD_REACTIONS: 1n << 6n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  MANAGE_MESSAGES: 1n << 13n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MENTION_EVERYONE: 1n << 17n,
  MANAGE_ROLES: 1n << 28n,
} as const;

/** The name of one permission bit, e.g. `'SEND_MESSAGES'`. */
export type PermissionName = keyof typeof Permissions;

/** Every permission name, in bit order. */
export const PERMISSION_NAMES = (Object.keys(Permissions) as PermissionName[]).sort((a, b) =>
  Permissions[a] < Permissions[b] ? -1 : 1,
);

/** Every bit EchoPulse knows; what the guild owner, ADMINISTRATOR and realm `admin` get. */
export const ALL_PERMISSIONS: bigint = PERMISSION_NAMES.reduce(
  (all, name) => all | Permissions[name],
  0n,
);

/**
 * What a new guild's @everyone role grants: see channels, read their history, talk, react, invite.
 * Not MENTION_EVERYONE — pinging the whole guild is something an owner opts into, not a default.
 */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  Permissions.VIEW_CHANNEL |
  Permissions.SEND_MESSAGES |
  Permissions.READ_MESSAGE_HISTORY |
  Permissions.ADD_REACTIONS |
  Permissions.CREATE_INSTANT_INVITE;

/**
 * What the Keycloak realm role `moderator` gives in every guild that has not banned its holder
 * (keycloak/README.md: "kick and ban members in any guild, delete any message"): added to a
 * member's roles, and all a non-member gets. VIEW_CHANNEL and READ_MESSAGE_HISTORY are included
 * because a message one cannot see cannot be moderated. Channel overwrites cannot take these away:
 * the promise is realm-wide, and a guild's owner does not get to revoke it (a ban does).
 */
export const REALM_MODERATOR_PERMISSIONS: bigint =
  Permissions.KICK_MEMBERS |
  Permissions.BAN_MEMBERS |
  Permissions.MANAGE_MESSAGES |
  Permissions.VIEW_CHANNEL |
  Permissions.READ_MESSAGE_HISTORY;

/**
 * What the realm role `admin` gives in a guild its holder is NOT a member of (and is not banned
 * from): administering it as its owner would — the guild, channels, roles, members, messages — but
 * not speaking in it, inviting to it or pinging it: SEND_MESSAGES, ADD_REACTIONS, CREATE_INSTANT_INVITE
 * and MENTION_EVERYONE need a membership, as for anyone. Not the ADMINISTRATOR bit, which would imply
 * them; the hierarchy checks treat them as the owner instead ({@link actsAsOwner}). A member with
 * realm `admin` gets ALL_PERMISSIONS.
 */
export const REALM_ADMIN_OUTSIDER_PERMISSIONS: bigint =
  ALL_PERMISSIONS &
  ~(
    Permissions.ADMINISTRATOR |
    Permissions.SEND_MESSAGES |
    Permissions.ADD_REACTIONS |
    Permissions.CREATE_INSTANT_INVITE |
    Permissions.MENTION_EVERYONE
  );

/** Permissions that only make sense for a member who may send messages (Discord drops them too). */
const SEND_DEPENDENT_PERMISSIONS: bigint = Permissions.MENTION_EVERYONE;

/** Keycloak realm roles that reach into guild permissions. */
const REALM_ADMIN = 'admin';
const REALM_MODERATOR = 'moderator';

/** The names of the bits set in a bitfield, in bit order; for logs, errors and UIs. */
export function permissionNames(permissions: bigint): PermissionName[] {
  return PERMISSION_NAMES.filter((name) => (permissions & Permissions[name]) !== 0n);
}

/** The bitfield of a list of names. */
export function permissionsOf(...names: PermissionName[]): bigint {
  return names.reduce((bits, name) => bits | Permissions[name], 0n);
}

/** A guild role as the algorithm needs it. */
export interface RoleInput {
  id: string;
  /** 0 for @everyone; higher positions outrank lower ones. */
  position: number;
  permissions: bigint;
}

/** A channel permission overwrite for one role or one member. */
export interface OverwriteInput {
  /** The role id (the guild id for @everyone) or the member's user id. */
  id: string;
  type: 'role' | 'member';
  allow: bigint;
  deny: bigint;
}

/**
 * Everything the algorithm needs to know about one actor in one guild. Both services and the web
 * app fill it from the same facts — is the actor a member, has the guild banned them, which realm
 * roles their token carries — so they compute the same answer.
 */
export interface PermissionContext {
  guild: { id: string; ownerId: string };
  /** All guild roles; the @everyone role's id equals the guild id, as in Discord. */
  roles: RoleInput[];
  /**
   * The actor and their role ids; @everyone is implied and need not be listed. Unknown ids are
   * ignored, and so are all of them when the actor is no member.
   */
  member: { userId: string; roleIds: string[] };
  /** Whether the actor is a member of the guild (the owner always counts as one). */
  isMember: boolean;
  /** Whether the guild has banned the actor: no access at all, whatever their realm roles. */
  banned: boolean;
  /** Keycloak realm roles of the actor (`admin`, `moderator`, …). */
  realmRoles?: string[];
}

const isOwner = (ctx: PermissionContext) => ctx.member.userId === ctx.guild.ownerId;
const inGuild = (ctx: PermissionContext) => !ctx.banned && (ctx.isMember || isOwner(ctx));
/** A realm role counts in a guild unless the guild has banned its holder. */
const isRealm = (ctx: PermissionContext, role: string) =>
  !ctx.banned && ctx.realmRoles?.includes(role) === true;

/**
 * Whether the actor acts on the guild as its owner would for the hierarchy (roles, positions,
 * members, grants): the owner, and realm `admin` — member or not — unless the guild banned them.
 */
export const actsAsOwner = (ctx: PermissionContext): boolean =>
  (isOwner(ctx) && !ctx.banned) || isRealm(ctx, REALM_ADMIN);

/**
 * Whether the actor may see the guild at all (read it, its channels, members and bans, subscribe
 * to its topics): its members, and holders of realm `admin` or `moderator` who are not members
 * (for moderation) — unless the guild banned them, which ends every realm-role power there.
 * Anyone else gets "not found" from both services.
 */
export function canAccessGuild(ctx: PermissionContext): boolean {
  return inGuild(ctx) || isRealm(ctx, REALM_ADMIN) || isRealm(ctx, REALM_MODERATOR);
}

/** The member's roles that exist in the guild, @everyone first; unknown ids are ignored. */
function memberRoles(ctx: PermissionContext): RoleInput[] {
  const byId = new Map(ctx.roles.map((role) => [role.id, role]));
  const everyone = byId.get(ctx.guild.id);
  const own = [...new Set(ctx.member.roleIds)]
    .filter((id) => id !== ctx.guild.id)
    .map((id) => byId.get(id))
    .filter((role): role is RoleInput => role !== undefined);
  return everyone ? [everyone, ...own] : own;
}

/**
 * Guild-level permissions of an actor (Discord's `compute_base_permissions`, with realm roles):
 * 0. banned, or no member and no realm role: nothing ({@link canAccessGuild});
 * 1. the guild owner gets ALL_PERMISSIONS;
 * 2. a non-member gets only what their realm roles give there: realm `admin`
 *    REALM_ADMIN_OUTSIDER_PERMISSIONS, realm `moderator` REALM_MODERATOR_PERMISSIONS — never
 *    SEND_MESSAGES, CREATE_INSTANT_INVITE or MENTION_EVERYONE;
 * 3. a member with realm `admin` gets ALL_PERMISSIONS;
 * 4. otherwise @everyone's permissions OR those of each of the member's roles;
 * 5. ADMINISTRATOR among them means ALL_PERMISSIONS;
 * 6. realm `moderator` adds REALM_MODERATOR_PERMISSIONS.
 */
export function computeBasePermissions(ctx: PermissionContext): bigint {
  if (!canAccessGuild(ctx)) return 0n;
  if (isOwner(ctx)) return ALL_PERMISSIONS;
  if (!inGuild(ctx)) {
    return (
      (isRealm(ctx, REALM_ADMIN) ? REALM_ADMIN_OUTSIDER_PERMISSIONS : 0n) |
      (isRealm(ctx, REALM_MODERATOR) ? REALM_MODERATOR_PERMISSIONS : 0n)
    );
  }
  if (isRealm(ctx, REALM_ADMIN)) return ALL_PERMISSIONS;
  let permissions = memberRoles(ctx).reduce((bits, role) => bits | role.permissions, 0n);
  if ((permissions & Permissions.ADMINISTRATOR) !== 0n) return ALL_PERMISSIONS;
  if (isRealm(ctx, REALM_MODERATOR)) permissions |= REALM_MODERATOR_PERMISSIONS;
  return permissions & ALL_PERMISSIONS;
}

/**
 * An actor's permissions in one channel (Discord's `compute_overwrites`):
 * 0. a non-member (realm admin or moderator from outside) gets their base permissions in every
 *    channel, private ones included: overwrites are the guild's word about its members, and grant
 *    an outsider nothing more (not SEND_MESSAGES) and take nothing of the realm promise;
 * 1. base permissions; ADMINISTRATOR (owner and member realm admin included) bypasses everything;
 * 2. the @everyone overwrite (type role, id = guild id): remove its deny, add its allow;
 * 3. the overwrites of all the member's roles together: remove every deny, then add every allow,
 *    so among roles an allow wins over a deny;
 * 4. the member's own overwrite: remove its deny, add its allow — it has the last word;
 * 5. realm `moderator` gets REALM_MODERATOR_PERMISSIONS back, whatever the overwrites said;
 * 6. without VIEW_CHANNEL nothing else applies in the channel (result 0), and without
 *    SEND_MESSAGES MENTION_EVERYONE is dropped, as Discord does.
 * Overwrites of roles the member does not hold, or of other members, are ignored.
 */
export function computeChannelPermissions(
  ctx: PermissionContext,
  overwrites: OverwriteInput[],
): bigint {
  const base = computeBasePermissions(ctx);
  if (!inGuild(ctx)) return base;
  if ((base & Permissions.ADMINISTRATOR) !== 0n) return ALL_PERMISSIONS;

  let permissions = base;
  const everyone = overwrites.find((o) => o.type === 'role' && o.id === ctx.guild.id);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;

  const held = new Set(ctx.member.roleIds.filter((id) => id !== ctx.guild.id));
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type !== 'role' || !held.has(overwrite.id)) continue;
    roleAllow |= overwrite.allow;
    roleDeny |= overwrite.deny;
  }
  permissions = (permissions & ~roleDeny) | roleAllow;

  const own = overwrites.find((o) => o.type === 'member' && o.id === ctx.member.userId);
  if (own) permissions = (permissions & ~own.deny) | own.allow;

  if (isRealm(ctx, REALM_MODERATOR)) permissions |= REALM_MODERATOR_PERMISSIONS;

  permissions &= ALL_PERMISSIONS;
  if ((permissions & Permissions.VIEW_CHANNEL) === 0n) return 0n;
  if ((permissions & Permissions.SEND_MESSAGES) === 0n) permissions &= ~SEND_DEPENDENT_PERMISSIONS;
  return permissions;
}

/**
 * Whether a computed bitfield grants every bit of `flag` (one permission or several OR-ed).
 * ADMINISTRATOR implies all permissions.
 */
export function hasPermission(permissions: bigint, flag: bigint): boolean {
  if ((permissions & Permissions.ADMINISTRATOR) !== 0n) return true;
  return (permissions & flag) === flag;
}

/**
 * The position of the member's highest role (@everyone counts, usually 0); `Infinity` for the
 * owner and for realm `admin`, who acts as owner. `-Infinity` for a non-member otherwise, and if
 * the guild has no role the member holds, not even @everyone (a malformed context): outranks nobody.
 */
export function highestRolePosition(ctx: PermissionContext): number {
  if (actsAsOwner(ctx)) return Infinity;
  if (!inGuild(ctx)) return -Infinity;
  return memberRoles(ctx).reduce((max, role) => Math.max(max, role.position), -Infinity);
}

/**
 * Whether the member may edit a role (name, colour, permissions, assign it to members, delete it):
 * the owner and realm `admin` may edit any; anyone else needs MANAGE_ROLES (ADMINISTRATOR
 * included) AND a highest role strictly above the role — ADMINISTRATOR does not lift the
 * hierarchy, as in Discord. @everyone sits below everyone, so its permissions are editable with
 * MANAGE_ROLES; its position is not (see {@link canSetRolePosition}).
 */
export function canManageRole(ctx: PermissionContext, role: RoleInput): boolean {
  if (actsAsOwner(ctx)) return true;
  if (!hasPermission(computeBasePermissions(ctx), Permissions.MANAGE_ROLES)) return false;
  if (role.id === ctx.guild.id) return true;
  return highestRolePosition(ctx) > role.position;
}

/**
 * Whether the member may move a role to `position`: nobody moves @everyone (always 0) and no role
 * goes to 0 or below; otherwise the member must manage the role and, unless owner or realm admin,
 * may only place it strictly below their own highest role.
 */
export function canSetRolePosition(
  ctx: PermissionContext,
  role: RoleInput,
  position: number,
): boolean {
  if (role.id === ctx.guild.id || !Number.isInteger(position) || position < 1) return false;
  if (!canManageRole(ctx, role)) return false;
  return actsAsOwner(ctx) || position < highestRolePosition(ctx);
}

/**
 * Whether the member may grant these permissions (on a role, by assigning a role, or on an
 * overwrite): Discord lets one grant only what one has. Owner, realm admin (member or not) and
 * ADMINISTRATOR may grant anything.
 */
export function canGrantPermissions(ctx: PermissionContext, permissions: bigint): boolean {
  if (actsAsOwner(ctx)) return true;
  const base = computeBasePermissions(ctx);
  if ((base & Permissions.ADMINISTRATOR) !== 0n) return true;
  return (permissions & ~base) === 0n;
}

/** What a member does to another member, for {@link canActOnMember}. */
export type MemberAction = 'kick' | 'ban' | 'nickname' | 'roles';

/**
 * The role hierarchy for acting on another member (kick, ban, nickname, roles):
 * - nobody acts on the guild owner (not even realm admin or moderator);
 * - the owner and realm `admin` act on anyone else;
 * - realm `moderator` kicks and bans anyone but the owner (a guild that banned them: nobody); for `nickname` and `roles` the
 *   hierarchy applies to them like to anyone;
 * - otherwise the actor's highest role must be strictly above the target's highest role, so
 *   equal positions are refused;
 * - nobody acts on themselves through this check (one leaves a guild rather than being kicked;
 *   one's own nickname is the caller's separate rule).
 * This checks the hierarchy only: the caller also checks the permission (KICK_MEMBERS, …).
 * @param action defaults to `'kick'`; pass `'nickname'` or `'roles'` for those.
 */
export function canActOnMember(
  actorCtx: PermissionContext,
  target: { userId: string; roleIds: string[] },
  action: MemberAction = 'kick',
): boolean {
  if (target.userId === actorCtx.guild.ownerId) return false;
  if (target.userId === actorCtx.member.userId) return false;
  if (actsAsOwner(actorCtx)) return true;
  if ((action === 'kick' || action === 'ban') && isRealm(actorCtx, REALM_MODERATOR)) return true;
  const targetCtx: PermissionContext = {
    guild: actorCtx.guild,
    roles: actorCtx.roles,
    member: target,
    isMember: true,
    banned: false,
  };
  return highestRolePosition(actorCtx) > highestRolePosition(targetCtx);
}
