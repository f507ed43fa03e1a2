import { defineStore } from 'pinia';
import { useApi } from '../composables/use-api';
import type { Ban, BanPage } from '../lib/types';

/** The loaded part of a guild's ban list (by user id) and where the next page starts. */
export interface BanList {
  items: Ban[];
  next: string | null;
}

/** Bans per page; the API allows 1–100. */
export const BAN_PAGE_SIZE = 50;

/** A guild's bans (BAN_MEMBERS), read a page at a time as the settings dialog scrolls through. */
export const useBansStore = defineStore('bans', {
  state: () => ({
    byGuild: {} as Record<string, BanList>,
    loading: {} as Record<string, boolean>,
  }),
  getters: {
    list: (s) => (guildId: string) => s.byGuild[guildId]?.items ?? [],
    hasMore: (s) => (guildId: string) => Boolean(s.byGuild[guildId]?.next),
  },
  actions: {
    /** The first page, replacing whatever was loaded before. */
    async load(guildId: string) {
      this.loading[guildId] = true;
      try {
        const page = await useApi().server.get<BanPage>(
          `/guilds/${guildId}/bans?limit=${BAN_PAGE_SIZE}`,
        );
        this.byGuild[guildId] = { items: page.items, next: page.next };
      } finally {
        this.loading[guildId] = false;
      }
    },

    /** The page after the last loaded one; nothing if all are loaded or a read is under way. */
    async loadMore(guildId: string) {
      const current = this.byGuild[guildId];
      if (!current?.next || this.loading[guildId]) return;
      this.loading[guildId] = true;
      try {
        const page = await useApi().server.get<BanPage>(
          `/guilds/${guildId}/bans?limit=${BAN_PAGE_SIZE}&after=${encodeURIComponent(current.next)}`,
        );
        const known = new Set(current.items.map((b) => b.userId));
        this.byGuild[guildId] = {
          items: [...current.items, ...page.items.filter((b) => !known.has(b.userId))],
          next: page.next,
        };
      } finally {
        this.loading[guildId] = false;
      }
    },

    /** Lifts a ban; the entry leaves the list once server-service confirms. */
    async unban(guildId: string, userId: string) {
      await useApi().server.delete(`/guilds/${guildId}/bans/${encodeURIComponent(userId)}`);
      const current = this.byGuild[guildId];
      if (current)
        this.byGuild[guildId] = {
          ...current,
          items: current.items.filter((b) => b.userId !== userId),
        };
    },
  },
});

/** The name shown for a banned user: display name, username, else the bare id. */
export function banName(ban: Ban): string {
  return ban.displayName || ban.username || ban.userId;
}
