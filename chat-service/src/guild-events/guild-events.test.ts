import {
  DEFAULT_EVERYONE_PERMISSIONS,
  Permissions,
  type ChannelSnapshot,
  type MemberSnapshot,
  type RoleSnapshot,
} from '@echopulse/guild-contracts';
import { eventsFor, guildChange, type Recipient } from './guild-events';
import type { GuildState } from './guild-state';

// What each user is told of one change, from the guild's state before and after: the pure part
// of guild events (test/guild-events.test.ts runs the whole path on the real servers).

const G = '100';
const owner: Recipient = { id: 'owner', realmRoles: ['user'] };
const bob: Recipient = { id: 'bob', realmRoles: ['user'] };
const mod: Recipient = { id: 'mod', realmRoles: ['user', 'moderator'] };

const role = (id: string, permissions: bigint, position = 1): RoleSnapshot => ({
  id,
  guildId: G,
  name: id,
  color: 0,
  position,
  permissions: String(permissions),
  mentionable: false,
});
const member = (userId: string, roleIds: string[] = []): MemberSnapshot => ({
  guildId: G,
  userId,
  username: userId,
  displayName: userId.toUpperCase(),
  nickname: null,
  roleIds,
  joinedAt: '2026-12-05T08:00:00.000Z',
});
const channel = (id: string, overwrites: ChannelSnapshot['overwrites'] = []): ChannelSnapshot => ({
  id,
  guildId: G,
  type: 'text',
  name: id,
  parentId: null,
  position: 0,
  topic: null,
  slowmodeSeconds: 0,
  overwrites,
});
const hidden = [
  { id: G, type: 'role' as const, allow: '0', deny: String(Permissions.VIEW_CHANNEL) },
];

function state(over: Partial<GuildState> = {}): GuildState {
  return {
    guild: {
      id: G,
      name: 'g',
      ownerId: 'owner',
      iconUrl: null,
      createdAt: '2026-12-05T08:00:00.000Z',
    },
    roles: [role(G, DEFAULT_EVERYONE_PERMISSIONS, 0)],
    channels: [channel('1'), channel('2', hidden)],
    members: [member('owner'), member('bob'), member('mod')],
    bans: [],
    ...over,
  };
}
const types = (
  user: Recipient,
  before: GuildState | undefined,
  after: GuildState | undefined,
  cause = 'x',
) =>
  eventsFor(user, guildChange(G, '7', cause, before, after)).map(
    (e) =>
      `${e.type} ${(e.data as { id?: string; userId?: string }).id ?? (e.data as { userId?: string }).userId}`,
  );

describe('eventsFor', () => {
  it('a private channel: its changes reach those who view it, a realm moderator member included', () => {
    const after = state({ channels: [channel('1'), { ...channel('2', hidden), topic: 'psst' }] });
    expect(types(owner, state(), after)).toEqual(['CHANNEL_UPDATE 2']);
    expect(types(mod, state(), after)).toEqual(['CHANNEL_UPDATE 2']);
    expect(types(bob, state(), after)).toEqual([]);
  });

  it('a permission change in a channel one still sees is a CHANNEL_UPDATE even if the channel is the same', () => {
    const deny = role(G, DEFAULT_EVERYONE_PERMISSIONS & ~Permissions.SEND_MESSAGES, 0);
    expect(types(bob, state(), state({ roles: [deny] }))).toEqual([
      'GUILD_ROLE_UPDATE 100',
      'CHANNEL_UPDATE 1',
    ]);
  });

  it('a role given to bob reveals the channel to him (CHANNEL_CREATE) and updates his member', () => {
    const readers = role('r', 0n);
    const open = [
      ...hidden,
      { id: 'r', type: 'role' as const, allow: String(Permissions.VIEW_CHANNEL), deny: '0' },
    ];
    const before = state({
      roles: [...state().roles, readers],
      channels: [channel('1'), channel('2', open)],
    });
    const after = { ...before, members: [member('owner'), member('bob', ['r']), member('mod')] };
    expect(types(bob, before, after)).toEqual(['CHANNEL_CREATE 2', 'GUILD_MEMBER_UPDATE bob']);
    expect(types(owner, before, after)).toEqual(['GUILD_MEMBER_UPDATE bob']);
    // and taking it back hides it again
    expect(types(bob, after, before)).toEqual(['CHANNEL_DELETE 2', 'GUILD_MEMBER_UPDATE bob']);
  });

  it('a ban: GUILD_DELETE banned to the banned, the ban only to BAN_MEMBERS holders', () => {
    const after = state({
      members: [member('owner'), member('mod')],
      bans: [{ guildId: G, userId: 'bob', username: null, displayName: null, reason: 'spam' }],
    });
    expect(eventsFor(bob, guildChange(G, '7', 'member.banned', state(), after))).toEqual([
      { type: 'GUILD_DELETE', guildId: G, seq: '7', data: { id: G, reason: 'banned' } },
    ]);
    expect(types(owner, state(), after)).toEqual(['GUILD_MEMBER_REMOVE bob', 'GUILD_BAN_ADD bob']);
    // realm moderators hold BAN_MEMBERS in every guild that has not banned them
    expect(types(mod, state(), after)).toEqual(['GUILD_MEMBER_REMOVE bob', 'GUILD_BAN_ADD bob']);
    const change = guildChange(G, '7', 'member.banned', state(), after);
    expect(change.bans[0]!.after).toMatchObject({ username: 'bob', displayName: 'BOB' });
  });

  it('non-members hear nothing, whatever their realm roles; a joiner gets GUILD_CREATE', () => {
    const before = state({ members: [member('owner')] });
    const after = state({ members: [member('owner'), member('bob')] });
    expect(types(mod, before, after)).toEqual([]);
    const [create] = eventsFor(bob, guildChange(G, '7', 'member.joined', before, after));
    expect(create!.type).toBe('GUILD_CREATE');
    expect((create!.data as { channels: ChannelSnapshot[] }).channels.map((c) => c.id)).toEqual([
      '1',
    ]);
    expect((create!.data as { members: MemberSnapshot[] }).members).toHaveLength(2);
  });

  it('a deleted guild: GUILD_DELETE deleted to every member', () => {
    for (const user of [owner, bob, mod])
      expect(types(user, state(), undefined, 'guild.deleted')).toEqual(['GUILD_DELETE 100']);
  });
});
