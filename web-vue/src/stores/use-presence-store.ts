import { defineStore } from 'pinia';
import { useApi } from '../composables/use-api';
import type { Presence, PresenceEvent, PresenceStatus, TypingEvent } from '../lib/types';

interface Typer {
  userId: string;
  username: string;
  until: number;
}

/** Who is online (per guild) and who is typing (per channel). */
export const usePresenceStore = defineStore('presence', {
  state: () => ({
    byGuild: {} as Record<string, Record<string, PresenceStatus>>,
    typingByChannel: {} as Record<string, Typer[]>,
  }),
  getters: {
    status:
      (s) =>
      (guildId: string, userId: string): PresenceStatus =>
        s.byGuild[guildId]?.[userId] ?? 'offline',
    /** Those typing in a channel now, except `selfId`. */
    typers:
      (s) =>
      (channelId: string, selfId: string | null, now: number = Date.now()) =>
        (s.typingByChannel[channelId] ?? []).filter((t) => t.until > now && t.userId !== selfId),
  },
  actions: {
    async load(guildId: string) {
      const list = await useApi().chat.get<Presence[]>(`/guilds/${guildId}/presence`);
      const next: Record<string, PresenceStatus> = {};
      for (const p of list) next[p.userId] = p.status;
      this.byGuild[guildId] = next;
    },

    apply(guildId: string, event: PresenceEvent) {
      (this.byGuild[guildId] ??= {})[event.userId] = event.status;
    },

    typing(event: TypingEvent, now: number = Date.now()) {
      const until = Date.parse(event.until) || now + 8000;
      const list = (this.typingByChannel[event.channelId] ?? []).filter(
        (t) => t.userId !== event.userId && t.until > now,
      );
      list.push({ userId: event.userId, username: event.username, until });
      this.typingByChannel[event.channelId] = list;
    },

    /** A message from someone ends their typing indicator, as in Discord. */
    stoppedTyping(channelId: string, userId: string) {
      const list = this.typingByChannel[channelId];
      if (list) this.typingByChannel[channelId] = list.filter((t) => t.userId !== userId);
    },
  },
});

/** "alice is typing…", "alice and bob are typing…", "Several people are typing…" */
export function typingText(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return 'Several people are typing…';
}
