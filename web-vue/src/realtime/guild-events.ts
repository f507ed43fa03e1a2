import type { Ban, GuildEvent, GuildEventsFrame } from '../lib/types';
import { useBansStore } from '../stores/use-bans-store';
import { useChannelsStore } from '../stores/use-channels-store';
import { useGuildsStore } from '../stores/use-guilds-store';
import { useMembersStore } from '../stores/use-members-store';
import type { InboundFrame, Watch } from './stomp-connection';

/**
 * Live guild state (chat-service/README.md, "Guild events"): every change of a guild this user
 * may see, as Discord's dispatch events, in the order server-service committed them.
 */
export const GUILD_EVENTS_QUEUE = '/user/queue/guild-events';

export interface GuildEventsOptions {
  /**
   * Reads a guild again over REST: READY said it changed while this client was away (its seq is
   * past the last one applied here). Defaults to reloading the guild list, its channels, roles
   * and members.
   */
  reread?: (guildId: string) => Promise<unknown>;
  /** The user lost a guild (GUILD_DELETE: deleted, left, kicked, banned). */
  onGuildLost?: (guildId: string, reason: string) => void;
}

async function rereadGuild(guildId: string): Promise<void> {
  const guilds = useGuildsStore();
  await Promise.all([
    guilds.load(),
    useChannelsStore().load(guildId),
    useMembersStore().load(guildId),
    guilds.loadRoles(guildId),
  ]);
}

const upsert = <T extends { id: string }>(list: T[] | undefined, item: T): T[] => [
  ...(list ?? []).filter((x) => x.id !== item.id),
  item,
];

/**
 * The queue's handler: applies each event to the stores, which recompute permissions (a
 * composer whose channel lost SEND_MESSAGES turns read-only at once). Lists not loaded yet
 * (a guild never opened) are left alone: they are read when opened. On READY — the first
 * message of every subscription, so after each reconnect — a guild whose latest seq is past the
 * last one applied here missed events while away and is read again over REST.
 */
export function guildEventsWatch(options: GuildEventsOptions = {}): Watch & {
  /** The last seq applied per guild (for tests and diagnostics). */
  readonly seqs: ReadonlyMap<string, bigint>;
} {
  const seqs = new Map<string, bigint>();
  const reread = options.reread ?? rereadGuild;

  const ready = (guilds: { id: string; seq: string | null }[]) => {
    for (const { id, seq } of guilds) {
      if (seq === null) continue;
      const head = BigInt(seq);
      const last = seqs.get(id);
      if (last !== undefined && head > last) {
        reread(id).catch(() => undefined);
      }
      if (last === undefined || head > last) seqs.set(id, head);
    }
    // a guild joined or lost while away
    const store = useGuildsStore();
    const known = new Set(store.guilds.map((g) => g.id));
    if (store.loaded && (guilds.length !== known.size || guilds.some((g) => !known.has(g.id)))) {
      store.load().catch(() => undefined);
    }
  };

  const apply = (event: GuildEvent) => {
    const guilds = useGuildsStore();
    const channels = useChannelsStore();
    const members = useMembersStore();
    const bans = useBansStore();
    const { guildId } = event;
    switch (event.type) {
      case 'GUILD_CREATE': {
        const { roles, channels: list, members: people, ...guild } = event.data;
        guilds.guilds = upsert(guilds.guilds, guild);
        guilds.rolesByGuild[guildId] = roles;
        channels.byGuild[guildId] = list;
        members.byGuild[guildId] = people;
        members.remember(people);
        break;
      }
      case 'GUILD_UPDATE':
        guilds.guilds = guilds.guilds.map((g) => (g.id === guildId ? event.data : g));
        break;
      case 'GUILD_DELETE':
        guilds.forget(guildId);
        delete channels.byGuild[guildId];
        delete members.byGuild[guildId];
        delete guilds.rolesByGuild[guildId];
        delete bans.byGuild[guildId];
        seqs.delete(guildId);
        options.onGuildLost?.(guildId, event.data.reason ?? 'deleted');
        break;
      case 'CHANNEL_CREATE':
      case 'CHANNEL_UPDATE':
        if (channels.byGuild[guildId]) channels.put(event.data);
        break;
      case 'CHANNEL_DELETE': {
        // only this channel: a deleted category's channels come back as CHANNEL_UPDATEs
        const list = channels.byGuild[guildId];
        if (list) channels.byGuild[guildId] = list.filter((c) => c.id !== event.data.id);
        break;
      }
      case 'GUILD_ROLE_CREATE':
      case 'GUILD_ROLE_UPDATE':
        if (guilds.rolesByGuild[guildId])
          guilds.rolesByGuild[guildId] = upsert(guilds.rolesByGuild[guildId], event.data);
        break;
      case 'GUILD_ROLE_DELETE':
        if (guilds.rolesByGuild[guildId])
          guilds.rolesByGuild[guildId] = guilds.rolesByGuild[guildId].filter(
            (r) => r.id !== event.data.id,
          );
        break;
      case 'GUILD_MEMBER_ADD':
      case 'GUILD_MEMBER_UPDATE':
        if (members.byGuild[guildId]) members.upsert(event.data);
        else members.remember([event.data]);
        break;
      case 'GUILD_MEMBER_REMOVE':
        if (members.byGuild[guildId]) members.remove(guildId, event.data.userId);
        break;
      case 'GUILD_BAN_ADD': {
        const list = bans.byGuild[guildId];
        if (!list) break;
        // the projection keeps no author or time of a ban: shown as now, by no one in particular
        const { username, displayName, ...rest } = event.data;
        const ban: Ban = {
          bannedBy: '',
          createdAt: new Date().toISOString(),
          ...rest,
          username: username ?? rest.userId,
          displayName: displayName ?? username ?? rest.userId,
        };
        bans.byGuild[guildId] = {
          ...list,
          items: [...list.items.filter((b) => b.userId !== ban.userId), ban],
        };
        break;
      }
      case 'GUILD_BAN_REMOVE': {
        const list = bans.byGuild[guildId];
        if (list)
          bans.byGuild[guildId] = {
            ...list,
            items: list.items.filter((b) => b.userId !== event.data.userId),
          };
        break;
      }
      default:
        break; // a type this client does not know yet
    }
  };

  return {
    seqs,
    onMessage(frame: InboundFrame) {
      // one MESSAGE of the queue: READY or one dispatch type with its data (openapi/chat.asyncapi.yaml
      // `guildReady`, `guildEvent`), as chat-contracts types them for chat-service and this app
      const event = JSON.parse(frame.body) as GuildEventsFrame;
      if (event.type === 'READY') {
        ready(event.data.guilds);
        return;
      }
      apply(event);
      const { type, guildId, seq } = event;
      if (type !== 'GUILD_DELETE' && seq !== undefined) {
        const value = BigInt(seq);
        if ((seqs.get(guildId) ?? -1n) < value) seqs.set(guildId, value);
      }
    },
  };
}
