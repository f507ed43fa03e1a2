import { createPinia, setActivePinia } from 'pinia';
import { provideApi } from '../composables/use-api';
import { Permissions } from '../lib/permissions';
import { fakeApis } from '../testing/fake-api';
import { ALICE, BOB, guild, member, role } from '../testing/factories';
import { useAuthStore } from './use-auth-store';
import { useGuildsStore } from './use-guilds-store';
import { useMembersStore } from './use-members-store';

describe('guilds store', () => {
  let apis: ReturnType<typeof fakeApis>;
  beforeEach(() => {
    setActivePinia(createPinia());
    apis = fakeApis();
    provideApi(apis);
    useAuthStore().$patch({
      status: 'authenticated',
      accessToken: 't',
      userId: BOB,
      roles: ['user'],
    });
  });
  afterEach(() => provideApi(null));

  it('loads every page of my guilds', async () => {
    apis.server.on('GET /users/@me/guilds?limit=100', { items: [guild({ id: 'g1' })], next: 'g1' });
    apis.server.on('GET /users/@me/guilds?limit=100&after=g1', {
      items: [guild({ id: 'g2' })],
      next: null,
    });
    const store = useGuildsStore();
    await store.load();
    expect(store.guilds.map((g) => g.id)).toEqual(['g1', 'g2']);
    expect(store.loaded).toBe(true);
  });

  it('keeps a guild created while the list was loading (the list predates it)', async () => {
    let answer: (page: object) => void = () => undefined;
    apis.server.on('GET /users/@me/guilds?limit=100', () => new Promise((r) => (answer = r)));
    apis.server.on('POST /guilds', guild({ id: 'g9' }));
    const store = useGuildsStore();
    const loading = store.load();
    await store.create('Book club');
    answer({ items: [guild({ id: 'g1' })], next: null });
    await loading;
    expect(store.guilds.map((g) => g.id)).toEqual(['g1', 'g9']);
    // a later load that no longer lists it (left elsewhere) drops it
    apis.server.on('GET /users/@me/guilds?limit=100', { items: [guild({ id: 'g1' })], next: null });
    await store.load();
    expect(store.guilds.map((g) => g.id)).toEqual(['g1']);
  });

  it('creates a guild with a trimmed name and adds it to the rail', async () => {
    apis.server.on('POST /guilds', (body) =>
      guild({ id: 'g9', name: (body as { name: string }).name }),
    );
    const store = useGuildsStore();
    const created = await store.create('  Book club  ');
    expect(apis.server.calls[0]!.body).toEqual({ name: 'Book club' });
    expect(created.name).toBe('Book club');
    expect(store.byId('g9')?.name).toBe('Book club');
  });

  it('accepts an invite (201 with the Member) and returns the joined guild', async () => {
    apis.server.on('POST /invites/abcd1234', member(BOB, { guildId: 'g5' }));
    apis.server.on('GET /users/@me/guilds?limit=100', { items: [guild({ id: 'g5' })], next: null });
    await expect(useGuildsStore().acceptInvite('abcd1234')).resolves.toMatchObject({ id: 'g5' });
  });

  it('passes an expired invite on as a plain-words error', async () => {
    apis.server.fail('POST /invites/abcd1234', 404, {
      code: 'unknown_invite',
      detail: 'no such invite',
    });
    await expect(useGuildsStore().acceptInvite('abcd1234')).rejects.toThrow(
      'This invite is invalid or has expired.',
    );
  });

  it('computes what I may do from the owner, @everyone, my roles and my realm roles', () => {
    const store = useGuildsStore();
    store.guilds = [guild({ id: 'g1', ownerId: ALICE })];
    store.rolesByGuild.g1 = [
      role('g1', Permissions.VIEW_CHANNEL | Permissions.SEND_MESSAGES),
      role('r-mod', Permissions.KICK_MEMBERS),
      role('r-admin', Permissions.ADMINISTRATOR),
    ];
    const members = useMembersStore();
    members.byGuild.g1 = [member(BOB)];
    expect(store.can('g1', 'SEND_MESSAGES')).toBe(true);
    expect(store.can('g1', 'KICK_MEMBERS')).toBe(false);
    members.upsert(member(BOB, { roleIds: ['r-mod'] }));
    expect(store.can('g1', 'KICK_MEMBERS')).toBe(true);
    expect(store.can('g1', 'MANAGE_CHANNELS')).toBe(false);
    members.upsert(member(BOB, { roleIds: ['r-admin'] }));
    expect(store.can('g1', 'MANAGE_CHANNELS')).toBe(true);

    members.upsert(member(BOB));
    useAuthStore().roles = ['user', 'moderator'];
    expect([store.can('g1', 'BAN_MEMBERS'), store.can('g1', 'MANAGE_GUILD')]).toEqual([
      true,
      false,
    ]);
    useAuthStore().roles = ['user', 'admin'];
    expect(store.can('g1', 'MANAGE_GUILD')).toBe(true);

    useAuthStore().$patch({ userId: ALICE, roles: ['user'] });
    expect([store.isOwner('g1'), store.can('g1', 'MANAGE_ROLES')]).toEqual([true, true]);
  });

  it('forgets a guild I left, and the current selection with it', async () => {
    apis.server.on('DELETE /guilds/g1/members/@me', undefined);
    const store = useGuildsStore();
    store.guilds = [guild({ id: 'g1' }), guild({ id: 'g2' })];
    store.select('g1');
    await store.leave('g1');
    expect(store.guilds.map((g) => g.id)).toEqual(['g2']);
    expect(store.currentGuildId).toBeNull();
  });

  it('creates invites with the chosen limits and lists them newest first', async () => {
    apis.server.on('POST /guilds/g1/invites', (body) => ({
      code: 'NEWCODE1',
      guildId: 'g1',
      ...(body as object),
    }));
    const store = useGuildsStore();
    store.invitesByGuild.g1 = [{ code: 'OLDCODE1' } as never];
    const invite = await store.createInvite('g1', 5, 3600);
    expect(apis.server.calls[0]!.body).toEqual({ maxUses: 5, maxAgeSeconds: 3600 });
    expect(invite.code).toBe('NEWCODE1');
    expect(store.invitesByGuild.g1!.map((i) => i.code)).toEqual(['NEWCODE1', 'OLDCODE1']);
  });
});
