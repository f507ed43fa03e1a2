import { createEnvelope, SnowflakeGenerator } from '@echopulse/service-kit';
import {
  GuildSnapshotError,
  SERVER_EVENT_TYPES,
  ServerEventError,
  parseGuildStateSnapshot,
  parseServerEvent,
  serverEvent,
  serverEventKey,
  type ChannelSnapshot,
  type GuildSnapshot,
  type MemberSnapshot,
  type RoleSnapshot,
  type ServerEventDataMap,
  type ServerEventType,
} from './events';

const ids = new SnowflakeGenerator(7);
const guildId = ids.next();
const otherGuildId = ids.next();
const channelId = ids.next();
const roleId = ids.next();
const ownerId = '5f0c6a4e-9a43-4c57-9a55-2c1f3b7f1a01';
const userId = 'b3c1f0de-1111-4e2a-8d1e-0c9c7c1b2a02';
const time = '2026-11-22T13:00:00.000Z';

const guild: GuildSnapshot = {
  id: guildId,
  name: 'Rustaceans',
  ownerId,
  iconUrl: null,
  createdAt: time,
};
const everyone: RoleSnapshot = {
  id: guildId,
  guildId,
  name: '@everyone',
  color: 0,
  position: 0,
  permissions: '68609',
  mentionable: false,
};
const role: RoleSnapshot = {
  id: roleId,
  guildId,
  name: 'mods',
  color: 0x3498db,
  position: 1,
  permissions: '8198',
  mentionable: true,
};
const member: MemberSnapshot = {
  guildId,
  userId,
  username: 'bob',
  displayName: 'Bob',
  nickname: null,
  roleIds: [roleId],
  joinedAt: time,
};
const owner: MemberSnapshot = {
  ...member,
  userId: ownerId,
  username: 'alice',
  displayName: 'Alice',
  roleIds: [],
};
const channel: ChannelSnapshot = {
  id: channelId,
  guildId,
  type: 'text',
  name: 'general',
  parentId: null,
  position: 0,
  topic: 'Say hi',
  slowmodeSeconds: 0,
  overwrites: [
    { id: guildId, type: 'role', allow: '0', deny: '2048' },
    { id: userId, type: 'member', allow: '2048', deny: '0' },
  ],
};

/** One valid `data` per type. */
const valid: { [T in ServerEventType]: ServerEventDataMap[T] } = {
  'guild.created': { guild, roles: [everyone], members: [owner], channels: [channel] },
  'guild.updated': { guild: { ...guild, name: 'Renamed', iconUrl: 'https://cdn.example/i.png' } },
  'guild.deleted': { guildId },
  'channel.created': { channel },
  'channel.updated': { channel: { ...channel, topic: null, slowmodeSeconds: 30 } },
  'channel.deleted': { guildId, channelId },
  'channel.overwrites-changed': { guildId, channelId, overwrites: channel.overwrites },
  'member.joined': { member },
  'member.updated': { member: { ...member, nickname: 'bobby' } },
  'member.left': { guildId, userId },
  'member.kicked': { guildId, userId },
  'member.banned': { guildId, userId, reason: 'spam' },
  'member.unbanned': { guildId, userId },
  'member.roles-changed': { guildId, userId, roleIds: [roleId] },
  'role.created': { role },
  'role.updated': { role: { ...role, permissions: '0' } },
  'role.deleted': { guildId, roleId },
};

/** For each type, data that must be refused, and why. */
const invalid: { [T in ServerEventType]: [string, unknown][] } = {
  'guild.created': [
    ['no @everyone role', { guild, roles: [role], members: [owner] }],
    ["no owner's membership", { guild, roles: [everyone], members: [member] }],
    ['no roles at all', { guild, members: [owner] }],
    ['a numeric guild id', { guild: { ...guild, id: 1 }, roles: [everyone], members: [owner] }],
    ['an empty name', { guild: { ...guild, name: '' }, roles: [everyone], members: [owner] }],
    [
      'a role of another guild',
      { guild, roles: [everyone, { ...role, guildId: otherGuildId }], members: [owner] },
    ],
  ],
  'guild.updated': [
    ['no guild', {}],
    ['a bad createdAt', { guild: { ...guild, createdAt: 'yesterday' } }],
    ['an icon that is no URL', { guild: { ...guild, iconUrl: 'not a url' } }],
    ['a missing iconUrl', { guild: { ...guild, iconUrl: undefined } }],
  ],
  'guild.deleted': [
    ['no guildId', {}],
    ['another guild', { guildId: otherGuildId }],
  ],
  'channel.created': [
    ['an unknown channel type', { channel: { ...channel, type: 'voice' } }],
    ['a negative position', { channel: { ...channel, position: -1 } }],
    [
      'an overwrite with a hex bitfield',
      {
        channel: {
          ...channel,
          overwrites: [{ id: guildId, type: 'role', allow: '0x1', deny: '0' }],
        },
      },
    ],
    [
      'a role overwrite naming a user id',
      {
        channel: { ...channel, overwrites: [{ id: userId, type: 'role', allow: '0', deny: '0' }] },
      },
    ],
    [
      'two overwrites for the same role',
      { channel: { ...channel, overwrites: [channel.overwrites[0], channel.overwrites[0]] } },
    ],
  ],
  'channel.updated': [
    ['a fractional slowmode', { channel: { ...channel, slowmodeSeconds: 1.5 } }],
    ['a slowmode over six hours', { channel: { ...channel, slowmodeSeconds: 21601 } }],
    ['a channel of another guild', { channel: { ...channel, guildId: otherGuildId } }],
    ['a parentId that is no snowflake', { channel: { ...channel, parentId: 'general' } }],
  ],
  'channel.deleted': [
    ['no channelId', { guildId }],
    ['a channelId of zero', { guildId, channelId: '0' }],
  ],
  'channel.overwrites-changed': [
    ['overwrites missing', { guildId, channelId }],
    [
      'an unknown overwrite type',
      {
        guildId,
        channelId,
        overwrites: [{ id: guildId, type: 'everyone', allow: '0', deny: '0' }],
      },
    ],
    [
      'an unknown permission bit',
      { guildId, channelId, overwrites: [{ id: guildId, type: 'role', allow: '128', deny: '0' }] },
    ],
  ],
  'member.joined': [
    ['no member', {}],
    ['roleIds that are not snowflakes', { member: { ...member, roleIds: ['mods'] } }],
    ['duplicate roleIds', { member: { ...member, roleIds: [roleId, roleId] } }],
  ],
  'member.updated': [
    ['an empty nickname (null clears it)', { member: { ...member, nickname: '' } }],
    ['a member of another guild', { member: { ...member, guildId: otherGuildId } }],
  ],
  'member.left': [['no userId', { guildId }]],
  'member.kicked': [['an empty userId', { guildId, userId: '' }]],
  'member.banned': [
    ['no reason field (null when none)', { guildId, userId }],
    ['a numeric reason', { guildId, userId, reason: 42 }],
  ],
  'member.unbanned': [['a numeric userId', { guildId, userId: 7 }]],
  'member.roles-changed': [
    ['roleIds missing', { guildId, userId }],
    ['roleIds not a list', { guildId, userId, roleIds: roleId }],
  ],
  'role.created': [
    ['a colour beyond RGB', { role: { ...role, color: 0x1000000 } }],
    ['a negative permissions string', { role: { ...role, permissions: '-1' } }],
    ['numeric permissions', { role: { ...role, permissions: 8198 } }],
  ],
  'role.updated': [
    ['mentionable as a string', { role: { ...role, mentionable: 'yes' } }],
    ['unknown permission bits', { role: { ...role, permissions: String(1n << 40n) } }],
  ],
  'role.deleted': [['no roleId', { guildId }]],
};

/** A Kafka message value holding an envelope, built without serverEvent's own validation. */
function rawMessage(type: string, data: unknown, overrides: Record<string, unknown> = {}): Buffer {
  const envelope = createEnvelope({
    type,
    source: '/server-service',
    subject: `guilds/${guildId}`,
    data,
  });
  return Buffer.from(JSON.stringify({ ...envelope, ...overrides }));
}

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ServerEventError);
    return (error as ServerEventError).reason;
  }
  return undefined;
}

describe('server events', () => {
  it('has a valid and an invalid example for every type', () => {
    expect(Object.keys(valid).sort()).toEqual([...SERVER_EVENT_TYPES].sort());
    for (const type of SERVER_EVENT_TYPES) expect(invalid[type].length).toBeGreaterThan(0);
  });

  describe.each(SERVER_EVENT_TYPES)('%s', (type) => {
    it('accepts valid data and round-trips through a Kafka message value', () => {
      const event = serverEvent(type, guildId, valid[type] as never, {
        time: new Date(time),
      });
      expect(event).toMatchObject({
        specversion: '1.0',
        type,
        source: '/server-service',
        subject: `guilds/${guildId}`,
        time,
        datacontenttype: 'application/json',
        dataschemaversion: 1,
      });
      expect(serverEventKey(event)).toBe(guildId);
      const parsed = parseServerEvent(Buffer.from(JSON.stringify(event)));
      expect(parsed).toEqual(event);
      expect(parseServerEvent(JSON.stringify(event))).toEqual(event);
    });

    it.each(invalid[type])('refuses %s', (_why, data) => {
      expect(reasonOf(() => parseServerEvent(rawMessage(type, data)))).toBe('invalid-data');
      expect(reasonOf(() => serverEvent(type, guildId, data as never))).toBe('invalid-data');
    });
  });

  it('drops unknown extra fields rather than refusing them (tolerant reader)', () => {
    const parsed = parseServerEvent(rawMessage('guild.deleted', { guildId, colour: 'red' }));
    expect(parsed.data).toEqual({ guildId });
  });

  it.each<[string, Buffer | string | null, string]>([
    ['an unknown type', rawMessage('guild.exploded', { guildId }), 'unknown-type'],
    ['an event of chat-service', rawMessage('message.created', { guildId }), 'unknown-type'],
    [
      'version 2',
      rawMessage('guild.deleted', { guildId }, { dataschemaversion: 2 }),
      'unsupported-version',
    ],
    [
      'a subject that is not a guild',
      rawMessage('guild.deleted', { guildId }, { subject: 'channels/1' }),
      'envelope',
    ],
    [
      "another guild's subject",
      rawMessage('guild.deleted', { guildId }, { subject: `guilds/${otherGuildId}` }),
      'invalid-data',
    ],
    ['no envelope at all', JSON.stringify({ guildId }), 'envelope'],
    ['not JSON', '{"type":', 'envelope'],
    ['an empty value (a tombstone)', null, 'envelope'],
  ])('refuses %s', (_why, value, reason) => {
    expect(reasonOf(() => parseServerEvent(value))).toBe(reason);
  });

  it('keeps a given id and time, so a retried write produces the same event', () => {
    const id = '0b8a5f3e-6c0e-4b7e-9d2b-7a1f6d9c8e01';
    const event = serverEvent('guild.deleted', guildId, { guildId }, { id, time: new Date(time) });
    expect(event.id).toBe(id);
    expect(serverEvent('guild.deleted', guildId, { guildId }).id).not.toBe(id);
  });

  it('refuses to build an event whose data names another guild than its key', () => {
    expect(reasonOf(() => serverEvent('role.created', otherGuildId, { role }))).toBe(
      'invalid-data',
    );
  });

  it('narrows the data type on the event type', () => {
    const event = parseServerEvent(
      Buffer.from(JSON.stringify(serverEvent('member.banned', guildId, valid['member.banned']))),
    );
    if (event.type !== 'member.banned') throw new Error('expected member.banned');
    // A compile-time check as much as a run-time one: `reason` exists only on member.banned.
    expect(event.data.reason).toBe('spam');
  });

  it('derives the Kafka key from the subject and refuses a foreign subject', () => {
    expect(serverEventKey({ subject: `guilds/${guildId}` })).toBe(guildId);
    expect(reasonOf(() => serverEventKey({ subject: 'users/1' }))).toBe('envelope');
  });
});

describe('guild state snapshots', () => {
  const snapshot = {
    guild,
    roles: [everyone, role],
    channels: [],
    members: [member],
    bans: [{ userId: ownerId, reason: null }],
    eventOffsets: { '0': '12', '3': '0' },
    takenAt: time,
  };

  it('reads a snapshot, and a tombstone as null', () => {
    expect(parseGuildStateSnapshot(guildId, JSON.stringify(snapshot))).toEqual(snapshot);
    expect(parseGuildStateSnapshot(Buffer.from(guildId), null)).toBeNull();
  });

  it('refuses a snapshot without @everyone, of another guild’s key, or with foreign rows', () => {
    const bad =
      (value: unknown, key = guildId) =>
      () =>
        parseGuildStateSnapshot(key, JSON.stringify(value));
    expect(bad({ ...snapshot, roles: [role] })).toThrow(/@everyone/);
    expect(bad(snapshot, otherGuildId)).toThrow(GuildSnapshotError);
    expect(bad({ ...snapshot, members: [{ ...member, guildId: otherGuildId }] })).toThrow(
      /own guild/,
    );
    expect(bad({ ...snapshot, eventOffsets: { '0': '-1' } })).toThrow(GuildSnapshotError);
    expect(() => parseGuildStateSnapshot(guildId, '{')).toThrow(/not JSON/);
  });
});
