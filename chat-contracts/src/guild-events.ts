// `/user/queue/guild-events`: live guild state as Discord's dispatch events (chat-service/README.md
// "Guild events", openapi/chat.asyncapi.yaml `guildReady` and `guildEvent`). `data` has the shape
// of server-service's REST resource (openapi/server-service.json).

/** A guild as server-service's REST answers it. */
export interface GuildData {
  id: string;
  name: string;
  ownerId: string;
  iconUrl: string | null;
  createdAt: string;
}

/** One channel permission overwrite; `allow`/`deny` are decimal bitfields. */
export interface OverwriteData {
  /** A role id (the guild id for @everyone) or a user id, per `type`. */
  id: string;
  type: 'role' | 'member';
  allow: string;
  deny: string;
}

/** A channel with all its overwrites. */
export interface ChannelData {
  id: string;
  guildId: string;
  type: 'text' | 'category';
  name: string;
  parentId: string | null;
  position: number;
  topic: string | null;
  slowmodeSeconds: number;
  overwrites: OverwriteData[];
}

/** A guild role; the @everyone role's id is the guild id. */
export interface RoleData {
  id: string;
  guildId: string;
  name: string;
  color: number;
  position: number;
  /** Decimal bitfield. */
  permissions: string;
  mentionable: boolean;
}

/** A member of a guild. */
export interface MemberData {
  guildId: string;
  userId: string;
  username: string;
  displayName: string;
  nickname: string | null;
  /** The member's roles, @everyone not included. */
  roleIds: string[];
  joinedAt: string;
}

/** A ban as chat-service's projection holds it: server-service's Ban without `bannedBy`, `createdAt`. */
export interface BanData {
  guildId: string;
  userId: string;
  username: string | null;
  displayName: string | null;
  reason: string | null;
}

/** GUILD_CREATE's data: the guild with its roles, the channels this user may view, its members. */
export interface GuildCreateData extends GuildData {
  roles: RoleData[];
  channels: ChannelData[];
  members: MemberData[];
}

/** Why a user no longer has a guild. */
export type GuildDeleteReason = 'deleted' | 'left' | 'kicked' | 'banned';

/** GUILD_DELETE's data. */
export interface GuildDeleteData {
  id: string;
  reason: GuildDeleteReason;
}

/** Each dispatch type with the shape of its `data`. */
export interface GuildEventDataByType {
  GUILD_CREATE: GuildCreateData;
  GUILD_UPDATE: GuildData;
  GUILD_DELETE: GuildDeleteData;
  CHANNEL_CREATE: ChannelData;
  CHANNEL_UPDATE: ChannelData;
  CHANNEL_DELETE: ChannelData;
  GUILD_ROLE_CREATE: RoleData;
  GUILD_ROLE_UPDATE: RoleData;
  GUILD_ROLE_DELETE: RoleData;
  GUILD_MEMBER_ADD: MemberData;
  GUILD_MEMBER_UPDATE: MemberData;
  GUILD_MEMBER_REMOVE: MemberData;
  GUILD_BAN_ADD: BanData;
  GUILD_BAN_REMOVE: BanData;
}

/** Discord's dispatch names, as the `type` of a guild event. */
export type GuildEventType = keyof GuildEventDataByType;

/** Every {@link GuildEventType}, once (a compile-time check below keeps the two equal). */
export const GUILD_EVENT_TYPES = [
  'GUILD_CREATE',
  'GUILD_UPDATE',
  'GUILD_DELETE',
  'CHANNEL_CREATE',
  'CHANNEL_UPDATE',
  'CHANNEL_DELETE',
  'GUILD_ROLE_CREATE',
  'GUILD_ROLE_UPDATE',
  'GUILD_ROLE_DELETE',
  'GUILD_MEMBER_ADD',
  'GUILD_MEMBER_UPDATE',
  'GUILD_MEMBER_REMOVE',
  'GUILD_BAN_ADD',
  'GUILD_BAN_REMOVE',
] as const satisfies readonly GuildEventType[];
type Missing = Exclude<GuildEventType, (typeof GUILD_EVENT_TYPES)[number]>;
const allListed: [Missing] extends [never] ? true : Missing = true;
void allListed;

/** One guild event of type `T`. */
export interface GuildEventOf<T extends GuildEventType> {
  type: T;
  guildId: string;
  /**
   * The server.events offset of the change, a decimal string: it only grows for a guild (one
   * guild, one partition) but skips changes this user does not see. Compare as integers.
   */
  seq: string;
  data: GuildEventDataByType[T];
}

/** One change of a guild, as this user may see it (a union discriminated on `type`). */
export type GuildEvent = { [T in GuildEventType]: GuildEventOf<T> }[GuildEventType];

/** The first MESSAGE of every subscription: each of the user's guilds with its latest seq. */
export interface GuildReady {
  type: 'READY';
  data: { guilds: { id: string; seq: string | null }[] };
}

/** Any MESSAGE body of `/user/queue/guild-events`; its `event` header is the body's `type`. */
export type GuildEventsFrame = GuildReady | GuildEvent;
