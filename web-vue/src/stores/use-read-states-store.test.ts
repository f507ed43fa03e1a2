import { createPinia, setActivePinia } from 'pinia';
import { provideApi } from '../composables/use-api';
import { channelWatch } from '../realtime/channel-frames';
import { MemberReloads } from '../realtime/member-reloads';
import { fakeApis } from '../testing/fake-api';
import { message } from '../testing/factories';
import type { ReadState } from '../lib/types';
import { useMessagesStore } from './use-messages-store';
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

  it('puts the unread count in the tab title: "(3) EchoPulse", plain when all is read', () => {
    const store = useReadStatesStore();
    expect(store.documentTitle).toBe('EchoPulse');
    store.onMessage('c1', 'g1', 1, false, false);
    store.onMessage('c1', 'g1', 2, false, false);
    store.onMessage('c2', 'g2', 7, true, false);
    expect(store.totalUnread).toBe(3);
    expect(store.documentTitle).toBe('(3) EchoPulse');
    store.markRead('c1', 'g1', 2);
    store.markRead('c2', 'g2', 7);
    expect(store.documentTitle).toBe('EchoPulse');
  });

  describe('issue #12 bug 9: offline messages are unread after reconnecting', () => {
    const state = (over: Partial<ReadState> = {}): ReadState => ({
      channelId: 'c2',
      guildId: 'g1',
      lastReadSeq: 5,
      lastSeq: 5,
      unreadCount: 0,
      mentionCount: 0,
      ...over,
    });

    it('keeps a message counted live while the read states were on their way', async () => {
      // the server read its states before seq 6 was stored; the replay brought seq 6 meanwhile
      let answer!: (states: ReadState[]) => void;
      const apis = fakeApis();
      apis.chat.on('GET /users/@me/read-states', () => new Promise((r) => (answer = r)));
      provideApi(apis);
      const store = useReadStatesStore();
      const loading = store.load();
      store.onMessage('c2', 'g1', 6, true, false);
      answer([state()]);
      await loading;
      expect([store.unread('c2'), store.mentions('c2'), store.lastRead('c2')]).toEqual([1, 1, 5]);
      expect(store.guildUnread('g1')).toBe(true);
    });

    it("keeps each channel's newest seq, so a resubscription of a channel never opened replays from it", async () => {
      const apis = fakeApis();
      apis.chat.on('GET /users/@me/read-states', [state({ lastSeq: 7, unreadCount: 2 })]);
      provideApi(apis);
      const watch = channelWatch('c2', new MemberReloads());
      expect(watch.resumeAfter?.()).toBeUndefined();
      await useReadStatesStore().load();
      expect(watch.resumeAfter?.()).toBe(7);
      // what the messages store holds counts too, whichever is newer
      useMessagesStore().ingest('message.created', message(9, { channelId: 'c2' }));
      expect(watch.resumeAfter?.()).toBe(9);
    });
  });
});
