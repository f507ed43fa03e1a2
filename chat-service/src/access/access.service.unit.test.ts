import {
  ALL_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  hasPermission,
  Permissions,
} from '@echopulse/guild-contracts';
import type { Principal } from '@echopulse/service-kit';
import { MemoryAccessStore } from '../../test/fakes/memory-access.store';
import { AccessService } from './access.service';
import type { AccessChange } from './channel-access';

// Grants from projection facts over an in-memory AccessStore, and the grant cache.
// access.service.test.ts plays the same rules through the projector and Postgres.

const { VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES, MANAGE_CHANNELS } = Permissions;

const user = (id: string, roles: string[] = []): Principal => ({
  id,
  username: id,
  displayName: id,
  roles,
  expiresAt: new Date(Date.now() + 60_000),
});

describe('AccessService over an in-memory projection', () => {
  let store: MemoryAccessStore;
  let access: AccessService;

  beforeEach(() => {
    store = new MemoryAccessStore();
    const guild = store.guild('1', 'owner', DEFAULT_EVERYONE_PERMISSIONS);
    guild.members.set('alice', { username: 'alice', roleIds: [] });
    store.channel('10', '1', { slowmodeSeconds: 30 });
    access = new AccessService(store);
  });

  it("gives the owner everything without slowmode, a member @everyone's permissions with it", async () => {
    expect(await access.channel(user('owner'), '10')).toEqual({
      guildId: '1',
      channelId: '10',
      slowmodeSeconds: 0,
      permissions: ALL_PERMISSIONS,
    });
    expect(await access.channel(user('alice'), '10')).toEqual({
      guildId: '1',
      channelId: '10',
      slowmodeSeconds: 30,
      permissions: DEFAULT_EVERYONE_PERMISSIONS,
    });
  });

  it('exempts from slowmode whoever may manage messages or the channel', async () => {
    const guild = store.guilds.get('1')!;
    guild.roles.push(
      { id: '2', position: 1, permissions: MANAGE_MESSAGES },
      { id: '3', position: 2, permissions: MANAGE_CHANNELS },
    );
    guild.members.set('mm', { username: 'mm', roleIds: ['2'] });
    guild.members.set('mc', { username: 'mc', roleIds: ['3'] });
    expect((await access.channel(user('mm'), '10'))?.slowmodeSeconds).toBe(0);
    expect((await access.channel(user('mc'), '10'))?.slowmodeSeconds).toBe(0);
  });

  it("applies the channel's overwrites: @everyone, then roles, then the member", async () => {
    const guild = store.guilds.get('1')!;
    guild.roles.push({ id: '2', position: 1, permissions: 0n });
    guild.members.set('bob', { username: 'bob', roleIds: ['2'] });
    store.channel('11', '1', {
      overwrites: [
        { id: '1', type: 'role', allow: 0n, deny: SEND_MESSAGES },
        { id: '2', type: 'role', allow: SEND_MESSAGES, deny: 0n },
        { id: 'alice', type: 'member', allow: 0n, deny: VIEW_CHANNEL },
      ],
    });
    const bob = (await access.channel(user('bob'), '11'))!.permissions;
    expect(hasPermission(bob, SEND_MESSAGES)).toBe(true);
    const alice = (await access.channel(user('alice'), '11'))!.permissions;
    expect(hasPermission(alice, VIEW_CHANNEL)).toBe(false);
    expect(alice).toBe(0n); // no VIEW_CHANNEL, nothing else either
  });

  it('answers undefined for non-members, the banned, categories, unknown and malformed ids', async () => {
    store.guilds.get('1')!.bans.add('alice');
    store.channel('12', '1', { type: 'category' });
    expect(await access.channel(user('alice'), '10')).toBeUndefined();
    expect(await access.channel(user('stranger'), '10')).toBeUndefined();
    expect(await access.channel(user('owner'), '12')).toBeUndefined();
    expect(await access.channel(user('owner'), '99')).toBeUndefined();
    const reads = store.reads;
    expect(await access.channel(user('owner'), 'not-an-id')).toBeUndefined();
    expect(store.reads).toBe(reads); // refused before any read
  });

  it('gives a non-member realm admin or moderator moderation without speech; banned, nothing', async () => {
    for (const role of ['admin', 'moderator']) {
      const grant = await access.channel(user(`realm-${role}`, [role]), '10');
      expect(grant && hasPermission(grant.permissions, VIEW_CHANNEL | MANAGE_MESSAGES)).toBe(true);
      expect(grant && hasPermission(grant.permissions, SEND_MESSAGES)).toBe(false);
    }
    store.guilds.get('1')!.bans.add('realm-moderator');
    expect(await access.channel(user('realm-moderator', ['moderator']), '10')).toBeUndefined();
  });

  it('canViewGuild, guildsOf, membersOf and usernameOf answer from the projection', async () => {
    expect(await access.canViewGuild(user('alice'), '1')).toBe(true);
    expect(await access.canViewGuild(user('stranger'), '1')).toBe(false);
    expect(await access.canViewGuild(user('mod', ['moderator']), '1')).toBe(true);
    expect(await access.canViewGuild(user('alice'), '2')).toBe(false);
    expect(await access.canViewGuild(user('alice'), 'x')).toBe(false);
    expect(await access.guildsOf('alice')).toEqual(['1']);
    expect(await access.membersOf('1')).toEqual([
      { userId: 'owner', username: 'owner' },
      { userId: 'alice', username: 'alice' },
    ]);
    expect(await access.membersOf('x')).toEqual([]);
    expect(await access.usernameOf('alice')).toBe('alice');
  });

  describe('the grant cache', () => {
    let subscribers: ((change: AccessChange) => void)[];
    let resyncs: (() => void)[];

    beforeEach(() => {
      subscribers = [];
      resyncs = [];
      access = new AccessService(store, {
        cacheTtlMs: 60_000,
        changes: {
          subscribeFirst: (handler) => (subscribers.push(handler), () => undefined),
          onResync: (handler) => (resyncs.push(handler), () => undefined),
        },
      });
    });
    const change = (guildId: string) =>
      subscribers.forEach((s) => s({ guildId, cause: 'member.kicked' }));

    it('serves a grant from the cache until a change of its guild or a resync', async () => {
      await access.channel(user('alice'), '10');
      await access.channel(user('alice'), '10');
      expect(store.reads).toBe(1);
      change('2');
      await access.channel(user('alice'), '10');
      expect(store.reads).toBe(1);
      change('1');
      await access.channel(user('alice'), '10');
      expect(store.reads).toBe(2);
      resyncs.forEach((r) => r());
      await access.channel(user('alice'), '10');
      expect(store.reads).toBe(3);
    });

    it('caches no refusal, keys by realm roles, and drops a lookup that raced a change', async () => {
      await access.channel(user('stranger'), '10');
      await access.channel(user('stranger'), '10');
      expect(store.reads).toBe(2);
      await access.channel(user('alice', ['moderator']), '10');
      await access.channel(user('alice'), '10');
      expect(store.reads).toBe(4);

      let release!: () => void;
      store.hold = new Promise<void>((resolve) => (release = resolve));
      const racing = access.channel(user('owner'), '10');
      change('1'); // arrives while the projection is being read
      release();
      await racing;
      store.hold = undefined;
      await access.channel(user('owner'), '10');
      expect(store.reads).toBe(6); // the raced answer was not cached
    });

    it('holds at most cacheSize grants, dropping the oldest', async () => {
      access = new AccessService(store, {
        cacheTtlMs: 60_000,
        cacheSize: 1,
        changes: { subscribeFirst: () => () => undefined, onResync: () => () => undefined },
      });
      await access.channel(user('alice'), '10');
      await access.channel(user('owner'), '10');
      await access.channel(user('owner'), '10');
      expect(store.reads).toBe(2);
      await access.channel(user('alice'), '10');
      expect(store.reads).toBe(3);
    });
  });
});
