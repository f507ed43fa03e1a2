import { createPinia, setActivePinia } from 'pinia';
import { provideApi } from '../composables/use-api';
import { fakeApis } from '../testing/fake-api';
import { typingText, usePresenceStore } from './use-presence-store';

describe('presence store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => provideApi(null));

  it("loads a guild's presence and applies live changes; unknown users are offline", async () => {
    const apis = fakeApis();
    apis.chat.on('GET /guilds/g1/presence', [{ userId: 'a', status: 'online' }]);
    provideApi(apis);
    const store = usePresenceStore();
    await store.load('g1');
    store.apply('g1', { userId: 'b', status: 'idle' });
    store.apply('g1', { userId: 'a', status: 'offline' });
    expect(['a', 'b', 'c'].map((u) => store.status('g1', u))).toEqual([
      'offline',
      'idle',
      'offline',
    ]);
  });

  it('shows typers until their time runs out or they send, never oneself', () => {
    const store = usePresenceStore();
    const now = Date.parse('2026-01-01T12:00:00Z');
    const until = new Date(now + 8000).toISOString();
    store.typing({ userId: 'a', username: 'alice', channelId: 'c1', until }, now);
    store.typing({ userId: 'b', username: 'bob', channelId: 'c1', until }, now);
    store.typing({ userId: 'me', username: 'me', channelId: 'c1', until }, now);
    expect(store.typers('c1', 'me', now + 1000).map((t) => t.username)).toEqual(['alice', 'bob']);
    store.stoppedTyping('c1', 'a');
    expect(store.typers('c1', 'me', now + 1000).map((t) => t.username)).toEqual(['bob']);
    expect(store.typers('c1', 'me', now + 9000)).toEqual([]);
  });

  it('says who is typing the way Discord does', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['alice'])).toBe('alice is typing…');
    expect(typingText(['alice', 'bob'])).toBe('alice and bob are typing…');
    expect(typingText(['a', 'b', 'c'])).toBe('a, b and c are typing…');
    expect(typingText(['a', 'b', 'c', 'd'])).toBe('Several people are typing…');
  });
});
