import { createPinia, setActivePinia } from 'pinia';
import { provideApi } from '../composables/use-api';
import type { Ban } from '../lib/types';
import { fakeApis } from '../testing/fake-api';
import { ALICE, BOB } from '../testing/factories';
import { BAN_PAGE_SIZE, banName, useBansStore } from './use-bans-store';

function ban(userId: string, over: Partial<Ban> = {}): Ban {
  return {
    guildId: 'g1',
    userId,
    username: userId.replace('user-', ''),
    displayName: userId.replace('user-', '').toUpperCase(),
    reason: null,
    bannedBy: ALICE,
    createdAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

describe('bans store', () => {
  let apis: ReturnType<typeof fakeApis>;
  beforeEach(() => {
    setActivePinia(createPinia());
    apis = fakeApis();
    provideApi(apis);
  });
  afterEach(() => provideApi(null));

  const first = `GET /guilds/g1/bans?limit=${BAN_PAGE_SIZE}`;

  it('loads the first page, then the next one after the last user id, without doubles', async () => {
    apis.server.on(first, { items: [ban(BOB), ban('user-carol')], next: 'user-carol' });
    apis.server.on(`${first}&after=user-carol`, {
      // a ban listed twice across pages (the list moved between reads) shows once
      items: [ban('user-carol'), ban('user-dave', { reason: 'spam' })],
      next: null,
    });
    const store = useBansStore();
    await store.load('g1');
    expect(store.list('g1').map((b) => b.userId)).toEqual([BOB, 'user-carol']);
    expect(store.hasMore('g1')).toBe(true);

    await store.loadMore('g1');
    expect(store.list('g1').map((b) => b.userId)).toEqual([BOB, 'user-carol', 'user-dave']);
    expect(store.hasMore('g1')).toBe(false);
    expect(store.loading.g1).toBe(false);

    // nothing more to read: no request
    await store.loadMore('g1');
    expect(apis.server.calls).toHaveLength(2);
  });

  it('reads one page at a time even when asked twice at once', async () => {
    apis.server.on(first, { items: [ban(BOB)], next: BOB });
    let release!: () => void;
    apis.server.on(
      `${first}&after=${BOB}`,
      () =>
        new Promise((resolve) => {
          release = () => resolve({ items: [ban('user-carol')], next: null });
        }),
    );
    const store = useBansStore();
    await store.load('g1');
    const a = store.loadMore('g1');
    const b = store.loadMore('g1');
    await b;
    expect(store.loading.g1).toBe(true);
    release();
    await a;
    expect(apis.server.calls.filter((c) => c.path.includes('after='))).toHaveLength(1);
    expect(store.list('g1').map((x) => x.userId)).toEqual([BOB, 'user-carol']);
  });

  it('unbans: the entry leaves the list once the server confirms, and stays if it refuses', async () => {
    apis.server.on(first, { items: [ban(BOB), ban('user-carol')], next: null });
    apis.server.on(`DELETE /guilds/g1/bans/${BOB}`, undefined);
    apis.server.fail('DELETE /guilds/g1/bans/user-carol', 403, { code: 'missing_permission' });
    const store = useBansStore();
    await store.load('g1');

    await store.unban('g1', BOB);
    expect(store.list('g1').map((b) => b.userId)).toEqual(['user-carol']);

    await expect(store.unban('g1', 'user-carol')).rejects.toMatchObject({ status: 403 });
    expect(store.list('g1').map((b) => b.userId)).toEqual(['user-carol']);
  });

  it('keeps the list it had when a reload fails, and is no longer loading', async () => {
    apis.server.on(first, { items: [ban(BOB)], next: null });
    const store = useBansStore();
    await store.load('g1');
    apis.server.fail(first, 503, {});
    await expect(store.load('g1')).rejects.toMatchObject({ status: 503 });
    expect(store.list('g1').map((b) => b.userId)).toEqual([BOB]);
    expect(store.loading.g1).toBe(false);
  });

  it('names a banned user by display name, then username, then id', () => {
    expect([
      banName(ban(BOB)),
      banName(ban(BOB, { displayName: '' })),
      banName(ban(BOB, { displayName: '', username: '' })),
    ]).toEqual(['BOB', 'bob', BOB]);
    expect(useBansStore().list('unknown')).toEqual([]);
  });
});
