import { defineStore } from 'pinia';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** The STOMP session's state, for the reconnecting banner. Written by realtime/chat-session.ts only. */
export const useConnectionStore = defineStore('connection', {
  state: () => ({
    status: 'idle' as ConnectionStatus,
    /** Failed attempts since the last successful CONNECT. */
    attempts: 0,
    /** When the next attempt starts (ms since epoch), while reconnecting. */
    nextAttemptAt: null as number | null,
    lastError: null as string | null,
    /** Set once the first CONNECT succeeded: later drops show the banner. */
    everConnected: false,
  }),
  getters: {
    showBanner: (s) => s.everConnected && s.status !== 'connected' && s.status !== 'idle',
    bannerText(s): string {
      if (s.status === 'offline')
        return 'You are offline. Messages will arrive when you reconnect.';
      const wait = s.nextAttemptAt
        ? Math.max(0, Math.ceil((s.nextAttemptAt - Date.now()) / 1000))
        : 0;
      return wait > 0 ? `Reconnecting in ${wait} s…` : 'Reconnecting…';
    },
  },
  actions: {
    connecting() {
      this.status = this.everConnected ? 'reconnecting' : 'connecting';
      this.nextAttemptAt = null;
    },
    connected() {
      this.$patch({
        status: 'connected',
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        everConnected: true,
      });
    },
    lost(error: string | null, retryInMs: number | null, now: number = Date.now()) {
      this.attempts += 1;
      this.lastError = error;
      this.status = this.everConnected ? 'reconnecting' : 'connecting';
      this.nextAttemptAt = retryInMs === null ? null : now + retryInMs;
    },
    offline() {
      this.status = 'offline';
      this.nextAttemptAt = null;
    },
    stopped() {
      this.$patch({ status: 'idle', nextAttemptAt: null });
    },
  },
});
