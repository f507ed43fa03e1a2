import { createPinia, setActivePinia } from 'pinia';
import { provideApi } from '../composables/use-api';
import { fakeApis } from '../testing/fake-api';
import { ALICE, BOB, member } from '../testing/factories';
import { useAuthStore } from './use-auth-store';
import { useMembersStore } from './use-members-store';

describe('members store', () => {
  let apis: ReturnType<typeof fakeApis>;
  beforeEach(() => {
    setActivePinia(createPinia());
    apis = fakeApis();
    provideApi(apis);
  });
  afterEach(() => provideApi(null));

  it('loads all pages (the API allows 100 a page) and names members by nickname first', async () => {
    apis.server.on('GET /guilds/g1/members?limit=100', {
      items: [member(ALICE, { nickname: 'Ali' })],
      next: ALICE,
    });
    apis.server.on(`GET /guilds/g1/members?limit=100&after=${ALICE}`, {
      items: [member(BOB)],
      next: null,
    });
    const store = useMembersStore();
    await store.load('g1');
    expect(store.list('g1')).toHaveLength(2);
    expect([
      store.nameOf('g1', ALICE),
      store.nameOf('g1', BOB),
      store.nameOf('g1', 'x', 'ghost'),
    ]).toEqual(['Ali', 'bob', 'ghost']);
    expect(store.search('g1', 'B').map((m) => m.userId)).toEqual([BOB]);
    expect(store.search('g1', 'al').map((m) => m.userId)).toEqual([ALICE]);
  });

  it('sets roles optimistically and rolls back on refusal', async () => {
    const store = useMembersStore();
    store.byGuild.g1 = [member(BOB)];
    apis.server.fail(`PATCH /guilds/g1/members/${BOB}`, 403, { code: 'role_hierarchy' });
    const setting = store.setRoles('g1', BOB, ['r1']);
    expect(store.member('g1', BOB)?.roleIds).toEqual(['r1']);
    await expect(setting).rejects.toThrow('That role is above your highest role');
    expect(store.member('g1', BOB)?.roleIds).toEqual([]);
  });

  it('removes a kicked or banned member from the list', async () => {
    const store = useMembersStore();
    store.byGuild.g1 = [member(ALICE), member(BOB)];
    apis.server.on(`DELETE /guilds/g1/members/${BOB}`, undefined);
    apis.server.on(`PUT /guilds/g1/bans/${ALICE}`, undefined);
    await store.kick('g1', BOB);
    await store.ban('g1', ALICE, 'spam');
    expect(apis.server.calls.map((c) => [c.method, c.body])).toEqual([
      ['DELETE', undefined],
      ['PUT', { reason: 'spam' }],
    ]);
    expect(store.list('g1')).toEqual([]);
  });

  it('issue #12 bug 5: keeps the name of a member who was banned or left, across a reload', async () => {
    useAuthStore().$patch({ userId: ALICE });
    apis.server.on('GET /guilds/g1/members?limit=100', {
      items: [member(ALICE), member(BOB, { displayName: 'Bob Baker' })],
      next: null,
    });
    apis.server.on(`PUT /guilds/g1/bans/${BOB}`, {});
    const store = useMembersStore();
    await store.load('g1');
    await store.ban('g1', BOB);
    expect(store.member('g1', BOB)).toBeUndefined();
    // a message's author (username only) and a mention (no fallback) both keep the display name
    expect(store.nameOf('g1', BOB, 'bob')).toBe('Bob Baker');
    expect(store.nameOf('g1', BOB)).toBe('Bob Baker');
    // the page is reloaded: bob is no longer in the member list
    setActivePinia(createPinia());
    useAuthStore().$patch({ userId: ALICE });
    apis.server.on('GET /guilds/g1/members?limit=100', { items: [member(ALICE)], next: null });
    const again = useMembersStore();
    await again.load('g1');
    expect(again.nameOf('g1', BOB)).toBe('Bob Baker');
  });
});
