import { createPinia, setActivePinia } from 'pinia';
import { useConnectionStore } from './use-connection-store';

describe('connection store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows no banner before the first connection, then one while reconnecting', () => {
    const store = useConnectionStore();
    store.connecting();
    store.lost('refused', 1000);
    expect(store.showBanner).toBe(false);
    store.connected();
    expect([store.showBanner, store.attempts]).toEqual([false, 0]);
    store.lost(null, 4000, Date.now());
    expect(store.status).toBe('reconnecting');
    expect(store.showBanner).toBe(true);
    expect(store.bannerText).toMatch(/^Reconnecting in [34] s…$/);
    store.offline();
    expect(store.bannerText).toBe('You are offline. Messages will arrive when you reconnect.');
    store.connected();
    expect(store.showBanner).toBe(false);
  });
});
