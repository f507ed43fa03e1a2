import { defineStore } from 'pinia';
import { useApi } from '../composables/use-api';
import type { Member, Page } from '../lib/types';

export const useMembersStore = defineStore('members', {
  state: () => ({
    byGuild: {} as Record<string, Member[]>,
  }),
  getters: {
    list: (s) => (guildId: string) => s.byGuild[guildId] ?? [],
    member: (s) => (guildId: string, userId: string) =>
      s.byGuild[guildId]?.find((m) => m.userId === userId),
    /** The name shown for a user in a guild: nickname, display name, username. */
    nameOf: (s) => (guildId: string, userId: string, fallback?: string) => {
      const m = s.byGuild[guildId]?.find((x) => x.userId === userId);
      return m ? m.nickname || m.displayName || m.username : (fallback ?? 'unknown user');
    },
    /** Members whose name starts with `prefix` (the composer's @ autocomplete), at most `limit`. */
    search:
      (s) =>
      (guildId: string, prefix: string, limit = 8) => {
        const p = prefix.toLowerCase();
        return (s.byGuild[guildId] ?? [])
          .filter((m) =>
            [m.username, m.displayName, m.nickname ?? ''].some((n) =>
              n.toLowerCase().startsWith(p),
            ),
          )
          .slice(0, limit);
      },
  },
  actions: {
    async load(guildId: string) {
      const { server } = useApi();
      const all: Member[] = [];
      let after: string | null = null;
      do {
        const query: string = after
          ? `?limit=100&after=${encodeURIComponent(after)}`
          : '?limit=100';
        const page: Page<Member> = await server.get(`/guilds/${guildId}/members${query}`);
        all.push(...page.items);
        after = page.next;
      } while (after);
      this.byGuild[guildId] = all;
    },

    upsert(member: Member) {
      const list = this.byGuild[member.guildId] ?? [];
      const i = list.findIndex((m) => m.userId === member.userId);
      if (i >= 0) list[i] = member;
      else list.push(member);
      this.byGuild[member.guildId] = list;
    },

    remove(guildId: string, userId: string) {
      this.byGuild[guildId] = (this.byGuild[guildId] ?? []).filter((m) => m.userId !== userId);
    },

    async kick(guildId: string, userId: string) {
      await useApi().server.delete(`/guilds/${guildId}/members/${userId}`);
      this.remove(guildId, userId);
    },

    async ban(guildId: string, userId: string, reason?: string) {
      await useApi().server.put(`/guilds/${guildId}/bans/${userId}`, reason ? { reason } : {});
      this.remove(guildId, userId);
    },

    /** Replaces the member's roles; optimistic, rolled back if the server refuses. */
    async setRoles(guildId: string, userId: string, roleIds: string[]) {
      const before = this.member(guildId, userId);
      if (before) this.upsert({ ...before, roleIds });
      try {
        this.upsert(
          await useApi().server.patch<Member>(`/guilds/${guildId}/members/${userId}`, { roleIds }),
        );
      } catch (error) {
        if (before) this.upsert(before);
        throw error;
      }
    },
  },
});
