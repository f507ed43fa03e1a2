import { defineStore } from 'pinia';
import { useApi } from '../composables/use-api';
import type { ReadState } from '../lib/types';

/**
 * Unread and mention counts per channel: loaded from chat-service's read states, raised by live
 * messages in channels not being viewed, cleared when a channel is read (the marker is sent over
 * STOMP by the caller of `markRead`).
 */
export const useReadStatesStore = defineStore('read-states', {
  state: () => ({
    byChannel: {} as Record<string, ReadState>,
  }),
  getters: {
    unread: (s) => (channelId: string) => s.byChannel[channelId]?.unreadCount ?? 0,
    mentions: (s) => (channelId: string) => s.byChannel[channelId]?.mentionCount ?? 0,
    lastRead: (s) => (channelId: string) => s.byChannel[channelId]?.lastReadSeq ?? null,
    guildUnread: (s) => (guildId: string) =>
      Object.values(s.byChannel).some((r) => r.guildId === guildId && r.unreadCount > 0),
    guildMentions: (s) => (guildId: string) =>
      Object.values(s.byChannel)
        .filter((r) => r.guildId === guildId)
        .reduce((n, r) => n + r.mentionCount, 0),
  },
  actions: {
    async load() {
      const states = await useApi().chat.get<ReadState[]>('/users/@me/read-states');
      const next: Record<string, ReadState> = {};
      for (const s of states) next[s.channelId] = s;
      this.byChannel = next;
    },

    /** A new message arrived (counted once per seq by the messages store). */
    onMessage(
      channelId: string,
      guildId: string,
      seq: number,
      mentionsMe: boolean,
      viewing: boolean,
    ) {
      const r = (this.byChannel[channelId] ??= {
        channelId,
        guildId,
        lastReadSeq: 0,
        lastSeq: 0,
        unreadCount: 0,
        mentionCount: 0,
      });
      if (seq > r.lastSeq) r.lastSeq = seq;
      if (viewing || seq <= r.lastReadSeq) return;
      r.unreadCount += 1;
      if (mentionsMe) r.mentionCount += 1;
    },

    /**
     * Marks read up to `seq`. Returns true when that moves the marker (then the caller sends
     * `/app/channels/{id}/read`); a marker never moves backwards.
     */
    markRead(channelId: string, guildId: string, seq: number): boolean {
      const r = this.byChannel[channelId];
      if (r && seq <= r.lastReadSeq && r.unreadCount === 0) return false;
      this.byChannel[channelId] = {
        channelId,
        guildId,
        lastReadSeq: Math.max(seq, r?.lastReadSeq ?? 0),
        lastSeq: Math.max(seq, r?.lastSeq ?? 0),
        unreadCount: 0,
        mentionCount: 0,
      };
      return seq > (r?.lastReadSeq ?? -1);
    },
  },
});
