import { createPinia, setActivePinia } from 'pinia';
import { Permissions } from '../lib/permissions';
import { useBansStore } from '../stores/use-bans-store';
import { useChannelsStore } from '../stores/use-channels-store';
import { useGuildsStore } from '../stores/use-guilds-store';
import { useMembersStore } from '../stores/use-members-store';
import { ALICE, BOB, channel, guild, member, role } from '../testing/factories';
import { OWNER, seedGuild } from '../testing/guild-fixture';
import { guildEventsWatch } from './guild-events';

// The guild-events handler over fake frames: what each event does to the stores, and the
// permission getters the composer reads recomputed from them.

const frame = (type: string, data: unknown, seq = 1, guildId = 'g1') => ({
  headers: { event: type },
  body: JSON.stringify({ type, guildId, data, seq: String(seq) }),
});
const ready = (guilds: { id: string; seq: string | null }[]) => ({
  headers: { event: 'READY' },
  body: JSON.stringify({ type: 'READY', data: { guilds } }),
});

describe('guild events into the stores', () => {
  let pinia: ReturnType<typeof createPinia>;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    seedGuild(pinia); // alice in g1 (owned by someone else), #general (c1)
    useGuildsStore().loaded = true;
  });

  it('a member overwrite denying SEND_MESSAGES turns the channel read-only at once', () => {
    const watch = guildEventsWatch();
    const channels = useChannelsStore();
    expect(channels.can('c1', 'SEND_MESSAGES')).toBe(true);
    const deny = { id: ALICE, type: 'member', allow: '0', deny: String(Permissions.SEND_MESSAGES) };
    watch.onMessage(frame('CHANNEL_UPDATE', channel({ overwrites: [deny as never] })));
    expect(channels.can('c1', 'SEND_MESSAGES')).toBe(false);
    expect(channels.can('c1', 'VIEW_CHANNEL')).toBe(true);
  });

  it('channels appear, change and go; a deleted category leaves its channels', () => {
    const watch = guildEventsWatch();
    const channels = useChannelsStore();
    const category = channel({ id: 'k1', type: 'category', name: 'Talk' });
    watch.onMessage(frame('CHANNEL_CREATE', category, 1));
    watch.onMessage(
      frame('CHANNEL_CREATE', channel({ id: 'c2', name: 'news', parentId: 'k1' }), 2),
    );
    watch.onMessage(frame('CHANNEL_UPDATE', channel({ name: 'lobby' }), 3));
    expect(channels.list('g1').map((c) => c.name)).toEqual(['lobby', 'news', 'Talk']);
    watch.onMessage(frame('CHANNEL_DELETE', category, 4));
    expect(channels.list('g1').map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(watch.seqs.get('g1')).toBe(4n);
  });

  it('roles and members: a role granted recomputes permissions; joins and leaves', () => {
    const watch = guildEventsWatch();
    const guilds = useGuildsStore();
    const members = useMembersStore();
    expect(guilds.can('g1', 'KICK_MEMBERS')).toBe(false);
    const kickers = role('r1', Permissions.KICK_MEMBERS);
    watch.onMessage(frame('GUILD_ROLE_CREATE', kickers));
    watch.onMessage(frame('GUILD_MEMBER_UPDATE', member(ALICE, { roleIds: ['r1'] })));
    expect(guilds.can('g1', 'KICK_MEMBERS')).toBe(true);
    watch.onMessage(frame('GUILD_ROLE_UPDATE', { ...kickers, permissions: '0' }));
    expect(guilds.can('g1', 'KICK_MEMBERS')).toBe(false);
    watch.onMessage(frame('GUILD_ROLE_DELETE', kickers));
    expect(guilds.roles('g1').map((r) => r.id)).toEqual(['g1']);
    watch.onMessage(frame('GUILD_MEMBER_ADD', member(BOB, { displayName: 'Bob B' })));
    expect(members.nameOf('g1', BOB)).toBe('Bob B');
    watch.onMessage(frame('GUILD_MEMBER_REMOVE', member(BOB)));
    expect(members.member('g1', BOB)).toBeUndefined();
    expect(members.nameOf('g1', BOB)).toBe('Bob B'); // a former member's name stays readable
  });

  it('GUILD_CREATE brings a guild with everything; GUILD_UPDATE renames; GUILD_DELETE forgets', () => {
    const lost: [string, string][] = [];
    const watch = guildEventsWatch({ onGuildLost: (id, reason) => lost.push([id, reason]) });
    const guilds = useGuildsStore();
    watch.onMessage(
      frame(
        'GUILD_CREATE',
        {
          ...guild({ id: 'g2', name: 'Second', ownerId: OWNER }),
          roles: [role('g2', Permissions.VIEW_CHANNEL, { guildId: 'g2', position: 0 })],
          channels: [channel({ id: 'c9', guildId: 'g2' })],
          members: [member(ALICE, { guildId: 'g2' })],
        },
        7,
        'g2',
      ),
    );
    expect(guilds.byId('g2')?.name).toBe('Second');
    expect(
      useChannelsStore()
        .list('g2')
        .map((c) => c.id),
    ).toEqual(['c9']);
    expect(useMembersStore().list('g2')).toHaveLength(1);
    watch.onMessage(
      frame('GUILD_UPDATE', guild({ id: 'g2', name: 'Renamed', ownerId: OWNER }), 8, 'g2'),
    );
    expect(guilds.byId('g2')?.name).toBe('Renamed');
    watch.onMessage(frame('GUILD_DELETE', { id: 'g2', reason: 'kicked' }, 9, 'g2'));
    expect(guilds.byId('g2')).toBeNull();
    expect(useChannelsStore().byGuild.g2).toBeUndefined();
    expect(lost).toEqual([['g2', 'kicked']]);
  });

  it('bans go into a loaded ban list only', () => {
    const watch = guildEventsWatch();
    const bans = useBansStore();
    const ban = { guildId: 'g1', userId: BOB, username: 'bob', displayName: 'Bob', reason: 'spam' };
    watch.onMessage(frame('GUILD_BAN_ADD', ban));
    expect(bans.byGuild.g1).toBeUndefined();
    bans.byGuild.g1 = { items: [], next: null };
    watch.onMessage(frame('GUILD_BAN_ADD', ban));
    expect(bans.list('g1')).toEqual([expect.objectContaining({ userId: BOB, reason: 'spam' })]);
    watch.onMessage(frame('GUILD_BAN_REMOVE', ban));
    expect(bans.list('g1')).toEqual([]);
  });

  it('lists never loaded are left to be read when opened', () => {
    const watch = guildEventsWatch();
    watch.onMessage(frame('CHANNEL_CREATE', channel({ id: 'x', guildId: 'g3' }), 1, 'g3'));
    watch.onMessage(frame('GUILD_MEMBER_ADD', member(BOB, { guildId: 'g3' }), 2, 'g3'));
    expect(useChannelsStore().byGuild.g3).toBeUndefined();
    expect(useMembersStore().byGuild.g3).toBeUndefined();
  });

  it('after a reconnect, READY with a guild past the last applied seq re-reads that guild only', () => {
    const reread: string[] = [];
    const watch = guildEventsWatch({ reread: async (id) => reread.push(id) });
    watch.onMessage(ready([{ id: 'g1', seq: '10' }])); // first connect: nothing to compare with
    expect(reread).toEqual([]);
    watch.onMessage(frame('CHANNEL_UPDATE', channel({ name: 'a' }), 12));
    watch.onMessage(ready([{ id: 'g1', seq: '12' }])); // reconnected, nothing missed
    expect(reread).toEqual([]);
    watch.onMessage(ready([{ id: 'g1', seq: '15' }])); // reconnected, 13–15 happened meanwhile
    expect(reread).toEqual(['g1']);
    expect(watch.seqs.get('g1')).toBe(15n);
  });
});
