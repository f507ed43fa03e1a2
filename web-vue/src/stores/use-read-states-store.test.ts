import { createPinia, setActivePinia } from 'pinia';
import { provideApi } from '../composables/use-api';
import { fakeApis } from '../testing/fake-api';
import { useReadStatesStore } from './use-read-states-store';

describe('read states store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => provideApi(null));

  it('loads unread and mention counts and sums them per guild', async () => {
    const apis = fakeApis();
    apis.chat.on('GET /users/@me/read-states', [
      {
        channelId: 'c1',
        guildId: 'g1',
        lastReadSeq: 3,
        lastSeq: 5,
        unreadCount: 2,
        mentionCount: 1,
      },
      {
        channelId: 'c2',
        guildId: 'g1',
        lastReadSeq: 9,
        lastSeq: 9,
        unreadCount: 0,
        mentionCount: 0,
      },
      {
        channelId: 'c3',
        guildId: 'g2',
        lastReadSeq: 1,
        lastSeq: 1,
        unreadCount: 0,
        mentionCount: 0,
      },
    ]);
    provideApi(apis);
    const store = useReadStatesStore();
    await store.load();
    expect([store.unread('c1'), store.mentions('c1'), store.lastRead('c1')]).toEqual([2, 1, 3]);
    expect(store.guildUnread('g1')).toBe(true);
    expect(store.guildMentions('g1')).toBe(1);
    expect(store.guildUnread('g2')).toBe(false);
    expect(store.lastRead('unknown')).toBeNull();
  });

  it('counts a live message once as unread (and as a mention) unless the channel is in view', () => {
    const store = useReadStatesStore();
    store.onMessage('c1', 'g1', 1, false, false);
    store.onMessage('c1', 'g1', 2, true, false);
    store.onMessage('c1', 'g1', 3, true, true); // being read right now
    expect([store.unread('c1'), store.mentions('c1')]).toEqual([2, 1]);
  });

  it('moves the read marker forward only, clearing the counts', () => {
    const store = useReadStatesStore();
    store.onMessage('c1', 'g1', 4, true, false);
    expect(store.markRead('c1', 'g1', 4)).toBe(true);
    expect([store.unread('c1'), store.mentions('c1'), store.lastRead('c1')]).toEqual([0, 0, 4]);
    expect(store.markRead('c1', 'g1', 4)).toBe(false); // nothing new to send
    expect(store.markRead('c1', 'g1', 2)).toBe(false);
    expect(store.lastRead('c1')).toBe(4);
    // a message older than the marker (a replay) is not unread
    store.onMessage('c1', 'g1', 3, false, false);
    expect(store.unread('c1')).toBe(0);
  });
});
