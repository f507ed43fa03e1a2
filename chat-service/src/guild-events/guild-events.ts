import {
  computeBasePermissions,
  computeChannelPermissions,
  hasPermission,
  Permissions,
  type ChannelSnapshot,
  type GuildSnapshot,
  type MemberSnapshot,
  type PermissionContext,
  type RoleSnapshot,
} from '@echopulse/guild-contracts';
import type {
  BanData,
  ChannelData,
  GuildCreateData,
  GuildData,
  GuildDeleteReason,
  GuildEvent,
  GuildEventDataByType,
  GuildEventOf,
  GuildEventType,
  MemberData,
  RoleData,
} from '@echopulse/chat-contracts';
import type { GuildBan, GuildState } from './guild-state';

/** The destination every session subscribes to (`/user/queue/guild-events`), without `/user`. */
export const GUILD_EVENTS_QUEUE = '/queue/guild-events';

// What one user is told (GUILD_EVENT_TYPES, GuildEvent and each type's data) is chat-contracts'
// (shared with the web app). Its data types are written out there, since the package imports
// nothing; guild-contracts' snapshots, which these events carry, must stay exactly those shapes.
// identical types (optional keys included), not merely assignable both ways
type Exact<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const snapshotsAreEventData: [
  Exact<GuildSnapshot, GuildData>,
  Exact<ChannelSnapshot, ChannelData>,
  Exact<RoleSnapshot, RoleData>,
  Exact<MemberSnapshot, MemberData>,
  Exact<GuildBan, BanData>,
] = [true, true, true, true, true];
void snapshotsAreEventData;

/** The guild without its members: what every user's before/after comparison needs. */
export interface GuildFrame {
  guild: GuildSnapshot;
  roles: RoleSnapshot[];
  channels: ChannelSnapshot[];
}

/** A member or ban that the change added, changed or removed (null on the side it is absent). */
export interface Delta<T> {
  before: T | null;
  after: T | null;
}

/**
 * One applied server event, as every instance needs it to tell each of its connected users what
 * changed for them: the guild before and after (without members), the members the event
 * touched, the roles of every other member (unchanged by the event), and the ban changes.
 * `everyone` (all members after) comes only when someone joined: GUILD_CREATE lists them.
 */
export interface GuildChange {
  guildId: string;
  seq: string;
  /** The server event's type, e.g. `member.kicked`. */
  cause: string;
  before: GuildFrame | null;
  after: GuildFrame | null;
  /** Role ids of each member the event did not touch (user id → role ids). */
  roleIds: Record<string, string[]>;
  members: Delta<MemberSnapshot>[];
  bans: Delta<GuildBan>[];
  everyone?: MemberSnapshot[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function deltas<T>(
  before: T[],
  after: T[],
  key: (item: T) => string,
): { changed: Delta<T>[]; unchanged: T[] } {
  const old = new Map(before.map((item) => [key(item), item]));
  const changed: Delta<T>[] = [];
  const unchanged: T[] = [];
  for (const item of after) {
    const was = old.get(key(item));
    old.delete(key(item));
    if (was && same(was, item)) unchanged.push(item);
    else changed.push({ before: was ?? null, after: item });
  }
  for (const was of old.values()) changed.push({ before: was, after: null });
  return { changed, unchanged };
}

const frame = (state: GuildState | undefined): GuildFrame | null =>
  state ? { guild: state.guild, roles: state.roles, channels: state.channels } : null;

/** Builds the change of one applied server event from the guild's state before and after it. */
export function guildChange(
  guildId: string,
  seq: string,
  cause: string,
  before: GuildState | undefined,
  after: GuildState | undefined,
): GuildChange {
  const members = deltas(before?.members ?? [], after?.members ?? [], (m) => m.userId);
  const bans = deltas(before?.bans ?? [], after?.bans ?? [], (b) => b.userId);
  // The projection keeps no names with a ban: take them from the membership it ended.
  const names = new Map((before?.members ?? []).map((m) => [m.userId, m]));
  for (const delta of bans.changed) {
    const member = delta.after && names.get(delta.after.userId);
    if (delta.after && member) {
      delta.after = { ...delta.after, username: member.username, displayName: member.displayName };
    }
  }
  const joined = members.changed.some((d) => d.before === null);
  return {
    guildId,
    seq,
    cause,
    before: frame(before),
    after: frame(after),
    roleIds: Object.fromEntries(members.unchanged.map((m) => [m.userId, m.roleIds])),
    members: members.changed,
    bans: bans.changed,
    ...(joined && after ? { everyone: after.members } : {}),
  };
}

/** The connected user an event is computed for: their id and their Keycloak realm roles. */
export interface Recipient {
  id: string;
  realmRoles: string[];
}

const REASONS: Record<string, GuildDeleteReason> = {
  'guild.deleted': 'deleted',
  'member.left': 'left',
  'member.kicked': 'kicked',
  'member.banned': 'banned',
};

function context(f: GuildFrame, user: Recipient, roleIds: string[]): PermissionContext {
  return {
    guild: { id: f.guild.id, ownerId: f.guild.ownerId },
    roles: f.roles.map((r) => ({
      id: r.id,
      position: r.position,
      permissions: BigInt(r.permissions),
    })),
    member: { userId: user.id, roleIds },
    isMember: true,
    banned: false,
    realmRoles: user.realmRoles,
  };
}

/** The channels the user may view, with their effective permissions (channel id → bits). */
function visibleChannels(f: GuildFrame, ctx: PermissionContext): Map<string, bigint> {
  const visible = new Map<string, bigint>();
  for (const channel of f.channels) {
    const bits = computeChannelPermissions(
      ctx,
      channel.overwrites.map((o) => ({
        id: o.id,
        type: o.type,
        allow: BigInt(o.allow),
        deny: BigInt(o.deny),
      })),
    );
    if ((bits & Permissions.VIEW_CHANNEL) !== 0n) visible.set(channel.id, bits);
  }
  return visible;
}

/**
 * What one connected user is told of a change, in the order a client applies it. Only members of
 * the guild (before or after) hear of it — a non-member realm moderator or admin reads guilds over
 * REST — and only what guild-contracts' rules let them see:
 * - joining (or creating the guild): GUILD_CREATE with the channels they may view; leaving,
 *   a kick, a ban or the guild's deletion: GUILD_DELETE `{id, reason}`;
 * - GUILD_UPDATE when the guild itself changed; GUILD_ROLE_* for roles;
 * - CHANNEL_CREATE / CHANNEL_DELETE when a channel becomes visible / hidden to them (created or
 *   deleted, or through roles, overwrites or membership), CHANNEL_UPDATE when a channel they
 *   still see changed or their permissions in it did;
 * - GUILD_MEMBER_ADD / UPDATE / REMOVE for other members (UPDATE for their own too);
 * - GUILD_BAN_ADD / REMOVE only with BAN_MEMBERS.
 */
export function eventsFor(user: Recipient, change: GuildChange): GuildEvent[] {
  const { guildId, seq } = change;
  const event = <T extends GuildEventType>(
    type: T,
    data: GuildEventDataByType[T],
  ): GuildEventOf<T> => ({ type, guildId, data, seq });
  const own = change.members.find((d) => (d.before ?? d.after)!.userId === user.id);
  const stay = change.roleIds[user.id];
  const rolesBefore = own ? own.before?.roleIds : stay;
  const rolesAfter = own ? own.after?.roleIds : stay;
  const wasIn = change.before !== null && rolesBefore !== undefined;
  const isIn = change.after !== null && rolesAfter !== undefined;
  if (!wasIn && !isIn) return [];
  if (!isIn) {
    return [event('GUILD_DELETE', { id: guildId, reason: REASONS[change.cause] ?? 'left' })];
  }
  const after = change.after!;
  const ctxAfter = context(after, user, rolesAfter!);
  const seeAfter = visibleChannels(after, ctxAfter);
  if (!wasIn) {
    return [
      event('GUILD_CREATE', {
        ...after.guild,
        roles: after.roles,
        channels: after.channels.filter((c) => seeAfter.has(c.id)),
        members: change.everyone ?? [],
      } satisfies GuildCreateData),
    ];
  }
  const before = change.before!;
  const seeBefore = visibleChannels(before, context(before, user, rolesBefore!));
  const out: GuildEvent[] = [];
  if (!same(before.guild, after.guild)) out.push(event('GUILD_UPDATE', after.guild));

  const roles = deltas(before.roles, after.roles, (r) => r.id).changed;
  for (const d of roles) {
    if (d.after) out.push(event(d.before ? 'GUILD_ROLE_UPDATE' : 'GUILD_ROLE_CREATE', d.after));
  }
  const channelsBefore = new Map(before.channels.map((c) => [c.id, c]));
  for (const channel of after.channels) {
    const now = seeAfter.get(channel.id);
    const was = seeBefore.get(channel.id);
    if (now === undefined) continue;
    if (was === undefined) out.push(event('CHANNEL_CREATE', channel));
    else if (now !== was || !same(channelsBefore.get(channel.id), channel)) {
      out.push(event('CHANNEL_UPDATE', channel));
    }
  }
  for (const channel of before.channels) {
    if (seeBefore.has(channel.id) && !seeAfter.has(channel.id)) {
      out.push(event('CHANNEL_DELETE', channel));
    }
  }
  for (const d of roles) if (!d.after) out.push(event('GUILD_ROLE_DELETE', d.before!));

  for (const d of change.members) {
    if (d.before && d.after) out.push(event('GUILD_MEMBER_UPDATE', d.after));
    else if (d.after) out.push(event('GUILD_MEMBER_ADD', d.after));
    else out.push(event('GUILD_MEMBER_REMOVE', d.before!));
  }
  if (hasPermission(computeBasePermissions(ctxAfter), Permissions.BAN_MEMBERS)) {
    for (const d of change.bans) {
      if (d.after) out.push(event('GUILD_BAN_ADD', d.after));
      else out.push(event('GUILD_BAN_REMOVE', d.before!));
    }
  }
  return out;
}
