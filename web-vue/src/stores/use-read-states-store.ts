import { defineStore } from 'pinia';
import { useApi } from '../composables/use-api';
import type { ReadState } from '../lib/types';

/** A message counted unread here since the last read marker: kept until the channel is read. */
interface Counted {
  seq: number;
  mention: boolean;
}

/**
 * Unread and mention counts per channel: loaded from chat-service's read states, raised by live
 * messages in channels not being viewed, cleared when a channel is read (the marker is sent over
 * STOMP by the caller of `markRead`).
 */
export const useReadStatesStore = defineStore('read-states', {
  state: () => ({
    byChannel: {} as Record<string, ReadState>,
    /** Live (or replayed) messages counted per channel, so a refetch cannot lose them. */
    counted: {} as Record<string, Counted[]>,
  }),
  getters: {
    unread: (s) => (channelId: string) => s.byChannel[channelId]?.unreadCount ?? 0,
    mentions: (s) => (channelId: string) => s.byChannel[channelId]?.mentionCount ?? 0,
    lastRead: (s) => (channelId: string) => s.byChannel[channelId]?.lastReadSeq ?? null,
    guildUnread: (s) => (guildId: string) =>
      Object.values(s.byChannel).some((r) => r.guildId === guildId && r.unreadCount > 0),
    /** Unread messages in every channel: the tab title shows them. */
    totalUnread: (s) => Object.values(s.byChannel).reduce((n, r) => n + r.unreadCount, 0),
    /** "(3) EchoPulse" while anything is unread, as chat apps do; "EchoPulse" otherwise. */
    documentTitle(): string {
      return this.totalUnread > 0 ? `(${this.totalUnread}) EchoPulse` : 'EchoPulse';
    },
    guildMentions: (s) => (guildId: string) =>
      Object.values(s.byChannel)
        .filter((r) => r.guildId === guildId)
        .reduce((n, r) => n + r.mentionCount, 0),
  },
  actions: {
    /**
     * Reads the states again (at start and after every reconnect). Merged, not replaced (issue
     * #12 bug 9): a message that arrived live or by replay while the request was on its way is
     * not in the server's answer and stays counted; a marker this client moved meanwhile stays.
     * Each channel's newest seq is kept (`lastSeq`): a (re)subscription of a channel never opened
     * resumes from it (realtime/channel-frames.ts), so it still asks for `after-seq` and gets
     * what was sent while the user was offline.
     */
    async load() {
      const states = await useApi().chat.get<ReadState[]>('/users/@me/read-states');
      const next: Record<string, ReadState> = {};
      for (const s of states) {
        const local = this.byChannel[s.channelId];
        const lastReadSeq = Math.max(s.lastReadSeq, local?.lastReadSeq ?? 0);
        const extra = (this.counted[s.channelId] ?? []).filter(
          (c) => c.seq > s.lastSeq && c.seq > lastReadSeq,
        );
        const readAhead = lastReadSeq >= s.lastSeq;
        next[s.channelId] = {
          ...s,
          lastReadSeq,
          lastSeq: Math.max(s.lastSeq, local?.lastSeq ?? 0),
          unreadCount: (readAhead ? 0 : s.unreadCount) + extra.length,
          mentionCount: (readAhead ? 0 : s.mentionCount) + extra.filter((c) => c.mention).length,
        };
      }
      // channels the server has no state for yet, but where something was counted here
      for (const [id, r] of Object.entries(this.byChannel)) next[id] ??= r;
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
      (this.counted[channelId] ??= []).push({ seq, mention: mentionsMe });
    },

    /**
     * Marks read up to `seq`. Returns true when that moves the marker (then the caller sends
     * `/app/channels/{id}/read`); a marker never moves backwards.
     */
    markRead(channelId: string, guildId: string, seq: number): boolean {
      const r = this.byChannel[channelId];
      if (r && seq <= r.lastReadSeq && r.unreadCount === 0) return false;
      this.counted[channelId] = (this.counted[channelId] ?? []).filter((c) => c.seq > seq);
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
