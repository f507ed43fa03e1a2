import { defineStore } from 'pinia';
import { useApi } from '../composables/use-api';
import {
  guildPermissions,
  has,
  type GuildPermissionInput,
  type PermissionName,
} from '../lib/permissions';
import type {
  CreateRoleBody,
  Guild,
  GuildPage,
  Invite,
  InvitePreview,
  Member,
  Role,
  UpdateGuildBody,
  UpdateRoleBody,
} from '../lib/types';
import { useAuthStore } from './use-auth-store';
import { useMembersStore } from './use-members-store';

export const useGuildsStore = defineStore('guilds', {
  state: () => ({
    guilds: [] as Guild[],
    loaded: false,
    currentGuildId: null as string | null,
    rolesByGuild: {} as Record<string, Role[]>,
    invitesByGuild: {} as Record<string, Invite[]>,
  }),
  getters: {
    current: (s) => s.guilds.find((g) => g.id === s.currentGuildId) ?? null,
    byId: (s) => (id: string) => s.guilds.find((g) => g.id === id) ?? null,
    /** Roles highest first, @everyone last. */
    roles: (s) => (guildId: string) =>
      [...(s.rolesByGuild[guildId] ?? [])].sort((a, b) => b.position - a.position),
  },
  actions: {
    /**
     * Every guild the user belongs to (all pages). A guild created or joined while the pages were
     * on their way stays: the answer may predate it (the app loads on start, and one may create
     * a guild at once).
     */
    async load() {
      const before = new Set(this.guilds.map((g) => g.id));
      const { server } = useApi();
      const all: Guild[] = [];
      let after: string | null = null;
      do {
        const query: string = after ? `?limit=100&after=${after}` : '?limit=100';
        const page: GuildPage = await server.get(`/users/@me/guilds${query}`);
        all.push(...page.items);
        after = page.next;
      } while (after);
      const meanwhile = this.guilds.filter(
        (g) => !before.has(g.id) && !all.some((a) => a.id === g.id),
      );
      this.guilds = [...all, ...meanwhile];
      this.loaded = true;
    },

    select(guildId: string | null) {
      this.currentGuildId = guildId;
    },

    async create(name: string, iconUrl?: string): Promise<Guild> {
      const guild = await useApi().server.post<Guild>('/guilds', {
        name: name.trim(),
        ...(iconUrl ? { iconUrl } : {}),
      });
      if (!this.guilds.some((g) => g.id === guild.id)) this.guilds.push(guild);
      return guild;
    },

    async update(guildId: string, patch: UpdateGuildBody) {
      const guild = await useApi().server.patch<Guild>(`/guilds/${guildId}`, patch);
      this.guilds = this.guilds.map((g) => (g.id === guildId ? guild : g));
    },

    async remove(guildId: string) {
      await useApi().server.delete(`/guilds/${guildId}`);
      this.forget(guildId);
    },

    async leave(guildId: string) {
      await useApi().server.delete(`/guilds/${guildId}/members/@me`);
      this.forget(guildId);
    },

    forget(guildId: string) {
      this.guilds = this.guilds.filter((g) => g.id !== guildId);
      if (this.currentGuildId === guildId) this.currentGuildId = null;
    },

    async loadRoles(guildId: string) {
      this.rolesByGuild[guildId] = await useApi().server.get<Role[]>(`/guilds/${guildId}/roles`);
    },

    async createRole(guildId: string, body: CreateRoleBody) {
      const role = await useApi().server.post<Role>(`/guilds/${guildId}/roles`, body);
      this.rolesByGuild[guildId] = [...(this.rolesByGuild[guildId] ?? []), role];
      return role;
    },

    async updateRole(guildId: string, roleId: string, body: UpdateRoleBody) {
      await useApi().server.patch<Role>(`/guilds/${guildId}/roles/${roleId}`, body);
      // a move shifts other roles' positions too
      await this.loadRoles(guildId);
    },

    async deleteRole(guildId: string, roleId: string) {
      await useApi().server.delete(`/guilds/${guildId}/roles/${roleId}`);
      this.rolesByGuild[guildId] = (this.rolesByGuild[guildId] ?? []).filter(
        (r) => r.id !== roleId,
      );
    },

    async loadInvites(guildId: string) {
      this.invitesByGuild[guildId] = await useApi().server.get<Invite[]>(
        `/guilds/${guildId}/invites`,
      );
    },

    async createInvite(guildId: string, maxUses = 0, maxAgeSeconds = 86_400): Promise<Invite> {
      const invite = await useApi().server.post<Invite>(`/guilds/${guildId}/invites`, {
        maxUses,
        maxAgeSeconds,
      });
      this.invitesByGuild[guildId] = [invite, ...(this.invitesByGuild[guildId] ?? [])];
      return invite;
    },

    async revokeInvite(guildId: string, code: string) {
      await useApi().server.delete(`/invites/${code}`);
      this.invitesByGuild[guildId] = (this.invitesByGuild[guildId] ?? []).filter(
        (i) => i.code !== code,
      );
    },

    previewInvite(code: string): Promise<InvitePreview> {
      return useApi().server.get<InvitePreview>(`/invites/${encodeURIComponent(code)}`);
    },

    /** Joins through an invite (201 with the new Member); the guild is added to the rail. */
    async acceptInvite(code: string): Promise<Guild> {
      const member = await useApi().server.post<Member>(`/invites/${encodeURIComponent(code)}`);
      await this.load();
      const guild = this.guilds.find((g) => g.id === member.guildId);
      if (!guild)
        throw new Error('Joined, but the server did not appear in your list. Reload the page.');
      return guild;
    },

    /** What the permission rules need to know about the caller in a guild, once it is loaded. */
    permissionInput(guildId: string): GuildPermissionInput | undefined {
      const guild = this.byId(guildId);
      const auth = useAuthStore();
      if (!guild || !auth.userId) return undefined;
      return {
        guild,
        userId: auth.userId,
        member: useMembersStore().member(guildId, auth.userId),
        roles: this.rolesByGuild[guildId] ?? [],
        realmRoles: auth.roles,
      };
    },

    /** The caller's guild-wide permission bits (owner, roles, realm roles). */
    permissionBits(guildId: string): bigint {
      const input = this.permissionInput(guildId);
      return input ? guildPermissions(input) : 0n;
    },

    can(guildId: string, name: PermissionName): boolean {
      return has(this.permissionBits(guildId), name);
    },

    isOwner(guildId: string): boolean {
      return this.byId(guildId)?.ownerId === useAuthStore().userId;
    },
  },
});
