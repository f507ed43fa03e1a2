import type { OverwriteInput, RoleInput } from '@echopulse/guild-contracts';
import type { AccessStore, ChannelFacts, GuildFacts } from '../../src/access/access.repository';

interface Guild {
  ownerId: string;
  roles: RoleInput[];
  /** user id → username and role ids */
  members: Map<string, { username: string; roleIds: string[] }>;
  bans: Set<string>;
}

interface Channel {
  guildId: string;
  type: 'text' | 'category';
  slowmodeSeconds: number;
  overwrites: OverwriteInput[];
}

/** AccessStore in memory: a projection to set up by hand; `reads` counts channelFacts calls. */
export class MemoryAccessStore implements AccessStore {
  readonly guilds = new Map<string, Guild>();
  readonly channels = new Map<string, Channel>();
  reads = 0;
  /** When set, channelFacts waits for it (to interleave an invalidation). */
  hold: Promise<void> | undefined;

  /** A guild whose @everyone role (id = guild id) has `everyone` permissions. */
  guild(guildId: string, ownerId: string, everyone: bigint): Guild {
    const guild: Guild = {
      ownerId,
      roles: [{ id: guildId, position: 0, permissions: everyone }],
      members: new Map([[ownerId, { username: ownerId, roleIds: [] }]]),
      bans: new Set(),
    };
    this.guilds.set(guildId, guild);
    return guild;
  }

  channel(channelId: string, guildId: string, extra: Partial<Channel> = {}): Channel {
    const channel: Channel = {
      guildId,
      type: 'text',
      slowmodeSeconds: 0,
      overwrites: [],
      ...extra,
    };
    this.channels.set(channelId, channel);
    return channel;
  }

  async channelFacts(channelId: string, userId: string): Promise<ChannelFacts | undefined> {
    this.reads++;
    await this.hold;
    const channel = this.channels.get(channelId);
    const guild = channel && (await this.guildFacts(channel.guildId, userId));
    if (!channel || !guild) return undefined;
    const { roles, members } = this.guilds.get(channel.guildId)!;
    return {
      ...guild,
      type: channel.type,
      slowmodeSeconds: channel.slowmodeSeconds,
      roleIds: members.get(userId)?.roleIds ?? [],
      roles,
      overwrites: channel.overwrites,
    };
  }

  async guildFacts(guildId: string, userId: string): Promise<GuildFacts | undefined> {
    const guild = this.guilds.get(guildId);
    if (!guild) return undefined;
    return {
      guildId,
      ownerId: guild.ownerId,
      isMember: guild.members.has(userId),
      banned: guild.bans.has(userId),
    };
  }

  async guildsOf(userId: string): Promise<string[]> {
    return [...this.guilds].filter(([, g]) => g.members.has(userId)).map(([id]) => id);
  }

  async membersOf(guildId: string): Promise<{ userId: string; username: string }[]> {
    return [...(this.guilds.get(guildId)?.members ?? [])].map(([userId, m]) => ({
      userId,
      username: m.username,
    }));
  }

  async usernameOf(userId: string): Promise<string | undefined> {
    for (const guild of this.guilds.values()) {
      const member = guild.members.get(userId);
      if (member) return member.username;
    }
    return undefined;
  }
}
