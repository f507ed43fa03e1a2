import { createPinia, setActivePinia } from 'pinia';
import { provideApi } from '../composables/use-api';
import { Permissions } from '../lib/permissions';
import { fakeApis } from '../testing/fake-api';
import { ALICE, BOB, channel, guild, member, role } from '../testing/factories';
import { useAuthStore } from './use-auth-store';
import { useChannelsStore } from './use-channels-store';
import { useGuildsStore } from './use-guilds-store';
import { useMembersStore } from './use-members-store';

describe('channels store', () => {
  let apis: ReturnType<typeof fakeApis>;
  beforeEach(() => {
    setActivePinia(createPinia());
    apis = fakeApis();
    provideApi(apis);
  });
  afterEach(() => provideApi(null));

  const layout = () => [
    channel({ id: 'cat-b', type: 'category', name: 'B', position: 1 }),
    channel({ id: 'cat-a', type: 'category', name: 'A', position: 0 }),
    channel({ id: 't2', name: 'two', parentId: 'cat-a', position: 3 }),
    channel({ id: 't1', name: 'one', parentId: 'cat-a', position: 2 }),
    channel({ id: 't0', name: 'top', position: 5 }),
    channel({ id: 't3', name: 'three', parentId: 'cat-b', position: 4 }),
  ];

  it('groups channels under their categories, each in position order, uncategorised first', async () => {
    apis.server.on('GET /guilds/g1/channels', layout());
    const store = useChannelsStore();
    await store.load('g1');
    expect(
      store.groups('g1').map((g) => [g.category?.name ?? null, g.channels.map((c) => c.name)]),
    ).toEqual([
      [null, ['top']],
      ['A', ['one', 'two']],
      ['B', ['three']],
    ]);
    store.toggleCategory('cat-a');
    expect([store.isCollapsed('cat-a'), store.isCollapsed('cat-b')]).toEqual([true, false]);
    store.toggleCategory('cat-a');
    expect(store.isCollapsed('cat-a')).toBe(false);
  });

  it('remembers collapsed categories across reloads, per user', async () => {
    apis.server.on('GET /guilds/g1/channels', layout());
    useAuthStore().$patch({ userId: ALICE });
    const store = useChannelsStore();
    await store.load('g1');
    store.toggleCategory('cat-a');
    expect(store.isCollapsed('cat-a')).toBe(true);
    // the page is reloaded
    setActivePinia(createPinia());
    useAuthStore().$patch({ userId: ALICE });
    const again = useChannelsStore();
    await again.load('g1');
    expect([again.isCollapsed('cat-a'), again.isCollapsed('cat-b')]).toEqual([true, false]);
    again.toggleCategory('cat-a');
    // bob on the same browser has his own
    setActivePinia(createPinia());
    useAuthStore().$patch({ userId: BOB });
    const bobs = useChannelsStore();
    await bobs.load('g1');
    bobs.toggleCategory('cat-b');
    setActivePinia(createPinia());
    useAuthStore().$patch({ userId: ALICE });
    const third = useChannelsStore();
    await third.load('g1');
    expect([third.isCollapsed('cat-a'), third.isCollapsed('cat-b')]).toEqual([false, false]);
  });

  it('moves a channel among its siblings at once and keeps the server order', async () => {
    const store = useChannelsStore();
    store.byGuild.g1 = layout();
    apis.server.on('PATCH /channels/t2', undefined);
    apis.server.on(
      'GET /guilds/g1/channels',
      layout().map((c) =>
        c.id === 't2' ? { ...c, position: 2 } : c.id === 't1' ? { ...c, position: 3 } : c,
      ),
    );
    await store.move('t2', -1);
    expect(apis.server.calls[0]).toEqual({
      method: 'PATCH',
      path: '/channels/t2',
      body: { position: 2 },
    });
    expect(store.groups('g1')[1]!.channels.map((c) => c.name)).toEqual(['two', 'one']);
  });

  it('undoes a move the server refuses', async () => {
    const store = useChannelsStore();
    store.byGuild.g1 = layout();
    apis.server.fail('PATCH /channels/t2', 403, { code: 'missing_permission' });
    await expect(store.move('t2', -1)).rejects.toThrow(
      "You don't have permission to do that here.",
    );
    expect(store.groups('g1')[1]!.channels.map((c) => c.name)).toEqual(['one', 'two']);
  });

  it('applies channel overwrites on top of guild permissions', () => {
    useAuthStore().$patch({ status: 'authenticated', userId: BOB, roles: ['user'] });
    const guilds = useGuildsStore();
    guilds.guilds = [guild({ ownerId: ALICE })];
    guilds.rolesByGuild.g1 = [
      role('g1', Permissions.VIEW_CHANNEL | Permissions.SEND_MESSAGES),
      role('r-vip', 0n),
    ];
    useMembersStore().byGuild.g1 = [member(BOB, { roleIds: ['r-vip'] })];
    const store = useChannelsStore();
    store.byGuild.g1 = [
      channel({ id: 'open' }),
      channel({
        id: 'read-only',
        overwrites: [
          { id: 'g1', type: 'role', allow: '0', deny: String(Permissions.SEND_MESSAGES) },
        ],
      }),
      channel({
        id: 'vip',
        overwrites: [
          { id: 'g1', type: 'role', allow: '0', deny: String(Permissions.VIEW_CHANNEL) },
          { id: 'r-vip', type: 'role', allow: String(Permissions.VIEW_CHANNEL), deny: '0' },
        ],
      }),
      channel({
        id: 'not-bob',
        overwrites: [
          { id: BOB, type: 'member', allow: '0', deny: String(Permissions.VIEW_CHANNEL) },
        ],
      }),
    ];
    expect(store.can('open', 'SEND_MESSAGES')).toBe(true);
    expect([
      store.can('read-only', 'VIEW_CHANNEL'),
      store.can('read-only', 'SEND_MESSAGES'),
    ]).toEqual([true, false]);
    expect(store.can('vip', 'VIEW_CHANNEL')).toBe(true);
    expect(store.can('not-bob', 'VIEW_CHANNEL')).toBe(false);
    expect(store.can('missing', 'VIEW_CHANNEL')).toBe(false);
  });

  describe('member overwrites', () => {
    const SEND = String(Permissions.SEND_MESSAGES);
    const VIEW = String(Permissions.VIEW_CHANNEL);

    it("sets one permission of a member's overwrite, keeping the others and the role overwrites", async () => {
      const store = useChannelsStore();
      store.byGuild.g1 = [
        channel({
          overwrites: [
            { id: 'g1', type: 'role', allow: '0', deny: SEND },
            { id: BOB, type: 'member', allow: '0', deny: VIEW },
          ],
        }),
      ];
      apis.server.on(`PUT /channels/c1/permissions/${BOB}`, channel());
      await store.setOverwriteState('c1', { id: BOB, type: 'member' }, 'SEND_MESSAGES', 'allow');
      expect(apis.server.calls.at(-1)).toEqual({
        method: 'PUT',
        path: `/channels/c1/permissions/${BOB}`,
        body: { type: 'member', allow: SEND, deny: VIEW },
      });
      const target = { id: BOB, type: 'member' } as const;
      expect([
        store.overwriteState('c1', target, 'SEND_MESSAGES'),
        store.overwriteState('c1', target, 'VIEW_CHANNEL'),
        store.overwriteState('c1', target, 'MANAGE_MESSAGES'),
        store.overwriteState('c1', { id: 'g1', type: 'role' }, 'SEND_MESSAGES'),
      ]).toEqual(['allow', 'deny', 'inherit', 'deny']);

      // flipping a denied bit to allowed moves it from deny to allow
      await store.setOverwriteState('c1', target, 'VIEW_CHANNEL', 'allow');
      expect(store.overwriteOf('c1', target)).toEqual({
        id: BOB,
        type: 'member',
        allow: String(Permissions.SEND_MESSAGES | Permissions.VIEW_CHANNEL),
        deny: '0',
      });
    });

    it('deletes the overwrite once nothing is left allowed or denied, and stores nothing empty', async () => {
      const store = useChannelsStore();
      store.byGuild.g1 = [
        channel({ overwrites: [{ id: BOB, type: 'member', allow: SEND, deny: '0' }] }),
      ];
      apis.server.on(`DELETE /channels/c1/permissions/${BOB}`, undefined);
      await store.setOverwriteState('c1', { id: BOB, type: 'member' }, 'SEND_MESSAGES', 'inherit');
      expect(apis.server.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
        `DELETE /channels/c1/permissions/${BOB}`,
      ]);
      expect(store.byId('c1')!.overwrites).toEqual([]);

      // inherit on a member with no overwrite: no request at all
      await store.setOverwriteState('c1', { id: ALICE, type: 'member' }, 'VIEW_CHANNEL', 'inherit');
      expect(apis.server.calls).toHaveLength(1);
    });

    it('keeps the overwrite as it was when the server refuses', async () => {
      const store = useChannelsStore();
      store.byGuild.g1 = [
        channel({ overwrites: [{ id: BOB, type: 'member', allow: '0', deny: VIEW }] }),
      ];
      apis.server.fail(`PUT /channels/c1/permissions/${BOB}`, 403, { code: 'missing_permission' });
      await expect(
        store.setOverwriteState('c1', { id: BOB, type: 'member' }, 'SEND_MESSAGES', 'deny'),
      ).rejects.toMatchObject({ status: 403 });
      expect(store.byId('c1')!.overwrites).toEqual([
        { id: BOB, type: 'member', allow: '0', deny: VIEW },
      ]);
    });
  });
});
