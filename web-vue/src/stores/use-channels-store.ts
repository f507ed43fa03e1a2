import { defineStore } from 'pinia';
import { useApi } from '../composables/use-api';
import {
  channelPermissions,
  has,
  parseBits,
  Permissions,
  type PermissionName,
} from '../lib/permissions';
import type { Channel, CreateChannelBody, Overwrite, UpdateChannelBody } from '../lib/types';
import { readPref, writePref } from '../lib/prefs';
import { useAuthStore } from './use-auth-store';
import { useGuildsStore } from './use-guilds-store';

/** One category (or the top level, `category: null`) with its text channels, in order. */
/** One permission in one overwrite: allowed, denied, or left to the role/guild level. */
export type OverwriteState = 'allow' | 'deny' | 'inherit';

/** Whom an overwrite is for: a role id or a user id. */
export interface OverwriteTarget {
  id: string;
  type: Overwrite['type'];
}

export interface ChannelGroup {
  category: Channel | null;
  channels: Channel[];
}

const byPosition = (a: Channel, b: Channel) => a.position - b.position || (a.id < b.id ? -1 : 1);

export const useChannelsStore = defineStore('channels', {
  state: () => ({
    byGuild: {} as Record<string, Channel[]>,
    currentChannelId: null as string | null,
    /** Category ids the person folded, kept across reloads (localStorage, per user). */
    collapsed: [] as string[],
    /** Whose folded categories `collapsed` holds (read from storage once the user is known). */
    collapsedFor: null as string | null,
  }),
  getters: {
    list: (s) => (guildId: string) => [...(s.byGuild[guildId] ?? [])].sort(byPosition),
    byId: (s) => (channelId: string) => {
      for (const list of Object.values(s.byGuild)) {
        const found = list.find((c) => c.id === channelId);
        if (found) return found;
      }
      return null;
    },
    current(): Channel | null {
      return this.currentChannelId ? this.byId(this.currentChannelId) : null;
    },
    /** Discord's sidebar: uncategorised channels first, then each category with its channels. */
    groups:
      (s) =>
      (guildId: string): ChannelGroup[] => {
        const all = [...(s.byGuild[guildId] ?? [])].sort(byPosition);
        const categories = all.filter((c) => c.type === 'category');
        const text = all.filter((c) => c.type === 'text');
        const known = new Set(categories.map((c) => c.id));
        const groups: ChannelGroup[] = [
          { category: null, channels: text.filter((c) => !c.parentId || !known.has(c.parentId)) },
        ];
        for (const category of categories) {
          groups.push({ category, channels: text.filter((c) => c.parentId === category.id) });
        }
        return groups;
      },
    /** The overwrite for a role or a member on a channel, if there is one. */
    overwriteOf(): (channelId: string, target: OverwriteTarget) => Overwrite | undefined {
      return (channelId: string, target: OverwriteTarget): Overwrite | undefined =>
        this.byId(channelId)?.overwrites.find((o) => o.type === target.type && o.id === target.id);
    },
    overwriteState(): (
      channelId: string,
      target: OverwriteTarget,
      name: PermissionName,
    ) => OverwriteState {
      return (channelId: string, target: OverwriteTarget, name: PermissionName): OverwriteState => {
        const o = this.overwriteOf(channelId, target);
        if (!o) return 'inherit';
        if (parseBits(o.allow) & Permissions[name]) return 'allow';
        if (parseBits(o.deny) & Permissions[name]) return 'deny';
        return 'inherit';
      };
    },
    isCollapsed: (s) => (categoryId: string) => s.collapsed.includes(categoryId),
  },
  actions: {
    async load(guildId: string) {
      this.byGuild[guildId] = await useApi().server.get<Channel[]>(`/guilds/${guildId}/channels`);
      this.restoreCollapsed();
    },

    /** Reads the signed-in user's folded categories, once per user. */
    restoreCollapsed() {
      const userId = useAuthStore().userId;
      if (!userId || this.collapsedFor === userId) return;
      this.collapsedFor = userId;
      this.collapsed = readPref<string[]>(userId, 'collapsed-categories', []);
    },

    select(channelId: string | null) {
      this.currentChannelId = channelId;
    },

    toggleCategory(categoryId: string) {
      this.restoreCollapsed();
      this.collapsed = this.collapsed.includes(categoryId)
        ? this.collapsed.filter((id) => id !== categoryId)
        : [...this.collapsed, categoryId];
      writePref(useAuthStore().userId, 'collapsed-categories', this.collapsed);
    },

    async create(guildId: string, body: CreateChannelBody): Promise<Channel> {
      const channel = await useApi().server.post<Channel>(`/guilds/${guildId}/channels`, body);
      this.put(channel);
      return channel;
    },

    async update(channelId: string, body: UpdateChannelBody) {
      this.put(await useApi().server.patch<Channel>(`/channels/${channelId}`, body));
    },

    /**
     * Moves a channel one place up or down among its siblings. Optimistic: the list reorders at
     * once; the server's answer (others shift to make room) is reloaded, and a refusal undoes it.
     */
    async move(channelId: string, direction: -1 | 1) {
      const channel = this.byId(channelId);
      if (!channel) return;
      const siblings = this.list(channel.guildId).filter(
        (c) =>
          c.type === channel.type && (c.type === 'category' || c.parentId === channel.parentId),
      );
      const i = siblings.findIndex((c) => c.id === channelId);
      const other = siblings[i + direction];
      if (!other) return;
      const before = [...(this.byGuild[channel.guildId] ?? [])];
      const target = other.position;
      this.byGuild[channel.guildId] = before.map((c) =>
        c.id === channel.id
          ? { ...c, position: target }
          : c.id === other.id
            ? { ...c, position: channel.position }
            : c,
      );
      try {
        await useApi().server.patch(`/channels/${channelId}`, { position: target });
        await this.load(channel.guildId);
      } catch (error) {
        this.byGuild[channel.guildId] = before;
        throw error;
      }
    },

    async remove(channelId: string) {
      const channel = this.byId(channelId);
      await useApi().server.delete(`/channels/${channelId}`);
      if (channel) this.drop(channel.guildId, channelId);
    },

    async putOverwrite(channelId: string, overwrite: Overwrite) {
      await useApi().server.put(`/channels/${channelId}/permissions/${overwrite.id}`, {
        type: overwrite.type,
        allow: overwrite.allow,
        deny: overwrite.deny,
      });
      const channel = this.byId(channelId);
      if (channel) {
        const rest = channel.overwrites.filter((o) => o.id !== overwrite.id);
        this.put({ ...channel, overwrites: [...rest, overwrite] });
      }
    },

    /**
     * Sets one permission of a role's or member's overwrite, keeping its other bits. An overwrite
     * left with nothing allowed or denied is deleted rather than stored empty.
     */
    async setOverwriteState(
      channelId: string,
      target: OverwriteTarget,
      name: PermissionName,
      state: OverwriteState,
    ) {
      const o = this.overwriteOf(channelId, target);
      const bit = Permissions[name];
      let allow = parseBits(o?.allow) & ~bit;
      let deny = parseBits(o?.deny) & ~bit;
      if (state === 'allow') allow |= bit;
      if (state === 'deny') deny |= bit;
      if (allow === 0n && deny === 0n) {
        if (o) await this.deleteOverwrite(channelId, target.id);
        return;
      }
      await this.putOverwrite(channelId, {
        ...target,
        allow: allow.toString(),
        deny: deny.toString(),
      });
    },

    async deleteOverwrite(channelId: string, targetId: string) {
      await useApi().server.delete(`/channels/${channelId}/permissions/${targetId}`);
      const channel = this.byId(channelId);
      if (channel)
        this.put({ ...channel, overwrites: channel.overwrites.filter((o) => o.id !== targetId) });
    },

    put(channel: Channel) {
      const list = (this.byGuild[channel.guildId] ?? []).filter((c) => c.id !== channel.id);
      this.byGuild[channel.guildId] = [...list, channel];
    },

    drop(guildId: string, channelId: string) {
      this.byGuild[guildId] = (this.byGuild[guildId] ?? []).filter(
        (c) => c.id !== channelId && c.parentId !== channelId,
      );
      if (this.currentChannelId === channelId) this.currentChannelId = null;
    },

    /** The caller's permission bits in a channel (guild permissions + the channel's overwrites). */
    permissionBits(channelId: string): bigint {
      const channel = this.byId(channelId);
      const input = channel && useGuildsStore().permissionInput(channel.guildId);
      return channel && input ? channelPermissions(input, channel) : 0n;
    },

    can(channelId: string, name: PermissionName): boolean {
      return has(this.permissionBits(channelId), name);
    },
  },
});
