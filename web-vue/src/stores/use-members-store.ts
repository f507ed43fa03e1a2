import { defineStore } from 'pinia';
import { useApi } from '../composables/use-api';
import { readPref, writePref } from '../lib/prefs';
import type { Member, MemberPage } from '../lib/types';
import { useAuthStore } from './use-auth-store';

/** How many former members' names are remembered (the oldest are forgotten first). */
const KNOWN_NAMES_MAX = 5000;

export const useMembersStore = defineStore('members', {
  state: () => ({
    byGuild: {} as Record<string, Member[]>,
    /**
     * The display name of every user seen as a member, kept after they leave, are kicked or
     * banned (issue #12 bug 5): their old messages (which carry only the username) and mentions
     * of them stay readable. Remembered per user in localStorage across reloads.
     */
    knownNames: {} as Record<string, string>,
  }),
  getters: {
    list: (s) => (guildId: string) => s.byGuild[guildId] ?? [],
    member: (s) => (guildId: string, userId: string) =>
      s.byGuild[guildId]?.find((m) => m.userId === userId),
    /** The name shown for a user in a guild: nickname, display name, username. */
    nameOf: (s) => (guildId: string, userId: string, fallback?: string) => {
      const m = s.byGuild[guildId]?.find((x) => x.userId === userId);
      if (m) return m.nickname || m.displayName || m.username;
      return s.knownNames[userId] ?? fallback ?? 'unknown user';
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
        const page: MemberPage = await server.get(`/guilds/${guildId}/members${query}`);
        all.push(...page.items);
        after = page.next;
      } while (after);
      this.byGuild[guildId] = all;
      this.remember(all);
    },

    /** Adds members' display names to the names kept for former members. */
    remember(members: Member[]) {
      const userId = useAuthStore().userId;
      const stored = readPref<Record<string, string>>(userId, 'names', {});
      const next = { ...stored, ...this.knownNames };
      let changed = Object.keys(stored).length !== Object.keys(next).length;
      for (const m of members) {
        const name = m.displayName || m.username;
        if (next[m.userId] === name) continue;
        delete next[m.userId]; // re-inserted last: the most recently seen are kept longest
        next[m.userId] = name;
        changed = true;
      }
      const ids = Object.keys(next);
      for (const id of ids.slice(0, Math.max(0, ids.length - KNOWN_NAMES_MAX))) delete next[id];
      this.knownNames = next;
      if (changed) writePref(userId, 'names', next);
    },

    upsert(member: Member) {
      this.remember([member]);
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
