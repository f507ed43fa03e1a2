import {
  createEnvelope,
  EnvelopeError,
  isSnowflake,
  parseEnvelope,
  type EventEnvelope,
} from '@echopulse/service-kit';
import { z } from 'zod';
import { ALL_PERMISSIONS } from './permissions';

/**
 * The Kafka topic of server-service's domain events. The message key of every event is its guild
 * id, so one guild's events stay in one partition, in order.
 */
export const SERVER_EVENTS_TOPIC = 'server.events';

/** `source` of every server event's envelope. */
export const SERVER_EVENT_SOURCE = '/server-service';

/** The `dataschemaversion` this package produces and accepts for every type. */
export const SERVER_EVENT_SCHEMA_VERSION = 1;

/** Every server event type, in the order of the AsyncAPI document. */
export const SERVER_EVENT_TYPES = [
  'guild.created',
  'guild.updated',
  'guild.deleted',
  'channel.created',
  'channel.updated',
  'channel.deleted',
  'channel.overwrites-changed',
  'member.joined',
  'member.updated',
  'member.left',
  'member.kicked',
  'member.banned',
  'member.unbanned',
  'member.roles-changed',
  'role.created',
  'role.updated',
  'role.deleted',
] as const;

/** The `type` of a server event. */
export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// Snapshots: guild, channel and role ids are decimal-string snowflakes; user ids (ownerId, userId,
// member overwrite ids) are Keycloak subjects, since users live in Keycloak; bitfields are decimal
// strings, times ISO 8601 strings.

/** A guild as events carry it. */
export interface GuildSnapshot {
  id: string;
  name: string;
  ownerId: string;
  iconUrl: string | null;
  createdAt: string;
}

/** One channel permission overwrite; `allow`/`deny` are decimal bitfields. */
export interface OverwriteSnapshot {
  /** A role id (the guild id for @everyone) or a user id, per `type`. */
  id: string;
  type: 'role' | 'member';
  allow: string;
  deny: string;
}

/** A channel with all its overwrites. */
export interface ChannelSnapshot {
  id: string;
  guildId: string;
  type: 'text' | 'category';
  name: string;
  /** The category holding this channel, or null. */
  parentId: string | null;
  position: number;
  topic: string | null;
  /** Seconds a member waits between two messages; 0 for none. */
  slowmodeSeconds: number;
  overwrites: OverwriteSnapshot[];
}

/** A guild membership. */
export interface MemberSnapshot {
  guildId: string;
  userId: string;
  username: string;
  displayName: string;
  nickname: string | null;
  /** The member's roles, @everyone not included (every member holds it). */
  roleIds: string[];
  joinedAt: string;
}

/** A guild role; the @everyone role's id is the guild id. */
export interface RoleSnapshot {
  id: string;
  guildId: string;
  name: string;
  /** RGB as an integer, 0 for none. */
  color: number;
  position: number;
  /** Decimal bitfield of known permission bits. */
  permissions: string;
  mentionable: boolean;
}

// ---------------------------------------------------------------------------------------------
// Data of each event type.

/**
 * `guild.created` carries everything a consumer needs to build the guild from nothing: the
 * guild, all its roles (at least @everyone) and its memberships (at least the owner's).
 * Channels made with the guild may come along too, or as their own `channel.created` events.
 */
export interface GuildCreatedData {
  guild: GuildSnapshot;
  roles: RoleSnapshot[];
  members: MemberSnapshot[];
  channels?: ChannelSnapshot[];
}
/** `guild.updated`: the guild's new state; `roles` when the change touched them. */
export interface GuildUpdatedData {
  guild: GuildSnapshot;
  roles?: RoleSnapshot[];
}
export interface GuildDeletedData {
  guildId: string;
}
export interface ChannelData {
  channel: ChannelSnapshot;
}
export interface ChannelDeletedData {
  guildId: string;
  channelId: string;
}
export interface ChannelOverwritesChangedData {
  guildId: string;
  channelId: string;
  /** The channel's complete new list of overwrites (not a diff). */
  overwrites: OverwriteSnapshot[];
}
export interface MemberData {
  member: MemberSnapshot;
}
export interface MemberRefData {
  guildId: string;
  userId: string;
}
export interface MemberBannedData {
  guildId: string;
  userId: string;
  reason: string | null;
}
export interface MemberRolesChangedData {
  guildId: string;
  userId: string;
  /** The member's complete new list of roles, @everyone not included. */
  roleIds: string[];
}
export interface RoleData {
  role: RoleSnapshot;
}
export interface RoleDeletedData {
  guildId: string;
  roleId: string;
}

/** The `data` of each event type. */
export interface ServerEventDataMap {
  'guild.created': GuildCreatedData;
  'guild.updated': GuildUpdatedData;
  'guild.deleted': GuildDeletedData;
  'channel.created': ChannelData;
  'channel.updated': ChannelData;
  'channel.deleted': ChannelDeletedData;
  'channel.overwrites-changed': ChannelOverwritesChangedData;
  'member.joined': MemberData;
  'member.updated': MemberData;
  'member.left': MemberRefData;
  'member.kicked': MemberRefData;
  'member.banned': MemberBannedData;
  'member.unbanned': MemberRefData;
  'member.roles-changed': MemberRolesChangedData;
  'role.created': RoleData;
  'role.updated': RoleData;
  'role.deleted': RoleDeletedData;
}

/** One server event of a given type. */
export type ServerEventOf<T extends ServerEventType> = EventEnvelope<T, ServerEventDataMap[T]>;

/** Any server event; narrow on `type`. */
export type ServerEvent = { [T in ServerEventType]: ServerEventOf<T> }[ServerEventType];

// ---------------------------------------------------------------------------------------------
// Runtime validation (zod). Unknown extra fields are dropped, not refused, so that a producer may
// add an optional field within a schema version without breaking older consumers.

const snowflake = z.string().refine(isSnowflake, { message: 'expected a snowflake id string' });
const isoTime = z.iso.datetime({ offset: true });
const bitfield = z
  .string()
  .refine(
    (value) => /^(0|[1-9][0-9]{0,19})$/.test(value) && (BigInt(value) & ~ALL_PERMISSIONS) === 0n,
    { message: 'expected a decimal bitfield of known permissions' },
  );
/** User ids are Keycloak subjects (OIDC `sub`: up to 255 characters, UUIDs in practice). */
const userId = z.string().min(1).max(255);
const uniqueIds = z
  .array(snowflake)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate ids' });

const guildSnapshot = z.object({
  id: snowflake,
  name: z.string().min(1).max(100),
  ownerId: userId,
  iconUrl: z.url().nullable(),
  createdAt: isoTime,
});
const overwriteSnapshot = z
  .object({ id: userId, type: z.enum(['role', 'member']), allow: bitfield, deny: bitfield })
  .refine((o) => o.type === 'member' || isSnowflake(o.id), {
    message: 'a role overwrite names a role id (snowflake)',
    path: ['id'],
  });
const overwrites = z
  .array(overwriteSnapshot)
  .refine((list) => new Set(list.map((o) => `${o.type}:${o.id}`)).size === list.length, {
    message: 'two overwrites for the same role or member',
  });
const channelSnapshot = z.object({
  id: snowflake,
  guildId: snowflake,
  type: z.enum(['text', 'category']),
  name: z.string().min(1).max(100),
  parentId: snowflake.nullable(),
  position: z.number().int().min(0),
  topic: z.string().max(1024).nullable(),
  slowmodeSeconds: z.number().int().min(0).max(21600),
  overwrites,
});
const memberSnapshot = z.object({
  guildId: snowflake,
  userId,
  username: z.string().min(1),
  displayName: z.string().min(1),
  nickname: z.string().min(1).max(32).nullable(),
  roleIds: uniqueIds,
  joinedAt: isoTime,
});
const roleSnapshot = z.object({
  id: snowflake,
  guildId: snowflake,
  name: z.string().min(1).max(100),
  color: z.number().int().min(0).max(0xffffff),
  position: z.number().int().min(0),
  permissions: bitfield,
  mentionable: z.boolean(),
});
const memberRef = z.object({ guildId: snowflake, userId });

/**
 * The zod schema of each type's `data`, for consumers that validate parts themselves.
 * Guild, channel and role ids are snowflakes; user ids are Keycloak subjects (UUIDs).
 */
export const serverEventDataSchemas = {
  'guild.created': z
    .object({
      guild: guildSnapshot,
      roles: z.array(roleSnapshot),
      members: z.array(memberSnapshot),
      channels: z.array(channelSnapshot).optional(),
    })
    .refine((d) => d.roles.some((r) => r.id === d.guild.id), {
      message: 'guild.created must carry the @everyone role (id = guild id)',
    })
    .refine((d) => d.members.some((m) => m.userId === d.guild.ownerId), {
      message: "guild.created must carry the owner's membership",
    }),
  'guild.updated': z.object({ guild: guildSnapshot, roles: z.array(roleSnapshot).optional() }),
  'guild.deleted': z.object({ guildId: snowflake }),
  'channel.created': z.object({ channel: channelSnapshot }),
  'channel.updated': z.object({ channel: channelSnapshot }),
  'channel.deleted': z.object({ guildId: snowflake, channelId: snowflake }),
  'channel.overwrites-changed': z.object({ guildId: snowflake, channelId: snowflake, overwrites }),
  'member.joined': z.object({ member: memberSnapshot }),
  'member.updated': z.object({ member: memberSnapshot }),
  'member.left': memberRef,
  'member.kicked': memberRef,
  'member.banned': memberRef.extend({ reason: z.string().max(512).nullable() }),
  'member.unbanned': memberRef,
  'member.roles-changed': memberRef.extend({ roleIds: uniqueIds }),
  'role.created': z.object({ role: roleSnapshot }),
  'role.updated': z.object({ role: roleSnapshot }),
  'role.deleted': z.object({ guildId: snowflake, roleId: snowflake }),
} as const satisfies { [T in ServerEventType]: z.ZodType<ServerEventDataMap[T]> };

// The schemas' output must be exactly the interfaces above; this fails to compile if they drift.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchInterfaces: {
  [T in ServerEventType]: Exact<
    z.output<(typeof serverEventDataSchemas)[T]>,
    ServerEventDataMap[T]
  >;
} = Object.fromEntries(SERVER_EVENT_TYPES.map((t) => [t, true])) as never;
void schemasMatchInterfaces;

/** The guild ids that a type's data names; all must equal the subject's guild. */
function guildIdsIn(type: ServerEventType, data: unknown): string[] {
  const d = data as Record<string, unknown> & {
    guild?: GuildSnapshot;
    roles?: RoleSnapshot[];
    members?: MemberSnapshot[];
    channels?: ChannelSnapshot[];
    channel?: ChannelSnapshot;
    member?: MemberSnapshot;
    role?: RoleSnapshot;
  };
  switch (type) {
    case 'guild.created':
    case 'guild.updated':
      return [
        d.guild!.id,
        ...(d.roles ?? []).map((r) => r.guildId),
        ...(d.members ?? []).map((m) => m.guildId),
        ...(d.channels ?? []).map((c) => c.guildId),
      ];
    case 'channel.created':
    case 'channel.updated':
      return [d.channel!.guildId];
    case 'member.joined':
    case 'member.updated':
      return [d.member!.guildId];
    case 'role.created':
    case 'role.updated':
      return [d.role!.guildId];
    default:
      return [d.guildId as string];
  }
}

/** Why a message is not a server event this code can use; `reason` lets consumers decide. */
export class ServerEventError extends EnvelopeError {
  override name = 'ServerEventError';
  constructor(
    readonly reason: 'envelope' | 'unknown-type' | 'unsupported-version' | 'invalid-data',
    message: string,
  ) {
    super(message);
  }
}

const SUBJECT = /^guilds\/([1-9][0-9]{0,19})$/;

/** The envelope `subject` of a guild's events: `guilds/{guildId}`. */
export function guildSubject(guildId: string): string {
  return `guilds/${guildId}`;
}

/** The Kafka message key of a server event: its guild id, taken from the subject. */
export function serverEventKey(event: Pick<ServerEvent, 'subject'>): string {
  const match = SUBJECT.exec(event.subject);
  if (!match) throw new ServerEventError('envelope', `subject ${event.subject} is not guilds/{id}`);
  return match[1]!;
}

function isServerEventType(type: string): type is ServerEventType {
  return (SERVER_EVENT_TYPES as readonly string[]).includes(type);
}

/** Validates a whole envelope against its type's schema; returns it with data as parsed. */
function validate(envelope: EventEnvelope): ServerEvent {
  if (!isServerEventType(envelope.type)) {
    throw new ServerEventError('unknown-type', `unknown server event type ${envelope.type}`);
  }
  if (envelope.dataschemaversion !== SERVER_EVENT_SCHEMA_VERSION) {
    throw new ServerEventError(
      'unsupported-version',
      `${envelope.type} version ${envelope.dataschemaversion} is not supported (only ${SERVER_EVENT_SCHEMA_VERSION})`,
    );
  }
  const subject = SUBJECT.exec(envelope.subject);
  if (!subject) {
    throw new ServerEventError('envelope', `subject ${envelope.subject} is not guilds/{id}`);
  }
  const parsed = serverEventDataSchemas[envelope.type].safeParse(envelope.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServerEventError(
      'invalid-data',
      `invalid ${envelope.type} data at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  const stray = guildIdsIn(envelope.type, parsed.data).find((id) => id !== subject[1]);
  if (stray !== undefined) {
    throw new ServerEventError(
      'invalid-data',
      `${envelope.type} data names guild ${stray} but its subject is ${envelope.subject}`,
    );
  }
  return { ...envelope, data: parsed.data } as ServerEvent;
}

/**
 * Builds a server event envelope: source `/server-service`, subject `guilds/{guildId}`,
 * dataschemaversion 1, a fresh UUID id unless given. The data is validated as consumers will
 * validate it, so a bad event fails where it is made, not in every consumer.
 * @throws ServerEventError when the data does not match its type or names another guild
 */
export function serverEvent<T extends ServerEventType>(
  type: T,
  guildId: string,
  data: ServerEventDataMap[T],
  options: { id?: string; time?: Date } = {},
): ServerEventOf<T> {
  const envelope = createEnvelope({
    type,
    source: SERVER_EVENT_SOURCE,
    subject: guildSubject(guildId),
    data,
    dataschemaversion: SERVER_EVENT_SCHEMA_VERSION,
    id: options.id,
    time: options.time,
  });
  validate(envelope);
  return envelope;
}

/**
 * Reads a Kafka message value into a validated server event. Throws ServerEventError with a
 * `reason`: `envelope` (not JSON or not an envelope), `unknown-type`, `unsupported-version`
 * or `invalid-data` (schema mismatch, or data naming a guild other than the subject's).
 */
export function parseServerEvent(value: Buffer | string | null): ServerEvent {
  let envelope: EventEnvelope;
  try {
    envelope = parseEnvelope(value);
  } catch (error) {
    throw new ServerEventError('envelope', (error as Error).message);
  }
  return validate(envelope);
}

// ---------------------------------------------------------------------------------------------
// Guild snapshots: the compacted topic that keeps every live guild's full state, so that a
// consumer can rebuild its projection although server.events keeps events only for a while.

/**
 * The compacted Kafka topic of full guild states (`cleanup.policy=compact`), keyed by guild id:
 * after each batch of a guild's events the outbox relay writes the guild's whole state, and a
 * tombstone (null value) once the guild is deleted. Compaction keeps the newest per guild.
 */
export const GUILD_SNAPSHOTS_TOPIC = 'server.guild-snapshots';

/**
 * The settings of the guild snapshots topic (server-service's relay creates it with them):
 * compacted, so the newest state per guild stays and older ones go; a deleted guild's tombstone
 * stays `delete.retention.ms` (a day), long enough for a rebuild under way to see it; segments
 * roll daily so that compaction runs on a quiet topic too.
 */
export const GUILD_SNAPSHOTS_TOPIC_CONFIG = {
  'cleanup.policy': 'compact',
  'min.compaction.lag.ms': '0',
  'delete.retention.ms': String(24 * 3600_000),
  'segment.ms': String(24 * 3600_000),
} as const;

/** A guild's ban, as the snapshot carries it. */
export interface BanSnapshot {
  userId: string;
  reason: string | null;
}

/** A guild's whole state: the value of a `server.guild-snapshots` record. */
export interface GuildStateSnapshot {
  guild: GuildSnapshot;
  /** Every role, @everyone (id = guild id) included. */
  roles: RoleSnapshot[];
  /** Every channel with its overwrites. */
  channels: ChannelSnapshot[];
  /** Every member with their roles. */
  members: MemberSnapshot[];
  bans: BanSnapshot[];
  /**
   * Per partition of `server.events` (decimal strings both), the offset below which every record
   * was published before this state was read: the state includes all of them. A consumer that
   * starts from the snapshot skips the guild's events below these offsets and applies the rest
   * (the state may include some of those too; events set state, so applying them again
   * converges to the same rows).
   */
  eventOffsets: Record<string, string>;
  /** When the state was read (RFC 3339). */
  takenAt: string;
}

/** The zod schema of a snapshot record's value. */
export const guildStateSnapshotSchema = z
  .object({
    guild: guildSnapshot,
    roles: z.array(roleSnapshot),
    channels: z.array(channelSnapshot),
    members: z.array(memberSnapshot),
    bans: z.array(z.object({ userId, reason: z.string().max(512).nullable() })),
    eventOffsets: z.record(
      z.string().regex(/^(0|[1-9][0-9]{0,5})$/),
      z.string().regex(/^(0|[1-9][0-9]{0,18})$/),
    ),
    takenAt: isoTime,
  })
  .refine((s) => s.roles.some((r) => r.id === s.guild.id), {
    message: 'a guild snapshot must carry the @everyone role (id = guild id)',
  })
  .refine((s) => [...s.roles, ...s.channels, ...s.members].every((x) => x.guildId === s.guild.id), {
    message: 'a guild snapshot holds only its own guild’s roles, channels and members',
  }) satisfies z.ZodType<GuildStateSnapshot>;

/** Why a snapshot record is unusable. */
export class GuildSnapshotError extends Error {
  override name = 'GuildSnapshotError';
}

/**
 * Reads a `server.guild-snapshots` record: its state, or null for a tombstone (the guild was
 * deleted). `key` is the record's key, which must be the snapshot's guild id.
 */
export function parseGuildStateSnapshot(
  key: Buffer | string | null,
  value: Buffer | string | null,
): GuildStateSnapshot | null {
  if (value === null || value.length === 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch (error) {
    throw new GuildSnapshotError(`not JSON: ${(error as Error).message}`);
  }
  const parsed = guildStateSnapshotSchema.safeParse(json);
  if (!parsed.success) throw new GuildSnapshotError(z.prettifyError(parsed.error));
  if (key !== null && key.toString() !== parsed.data.guild.id) {
    throw new GuildSnapshotError(
      `the record's key ${key.toString()} is not the snapshot's guild ${parsed.data.guild.id}`,
    );
  }
  return parsed.data;
}
