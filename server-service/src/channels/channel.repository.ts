import { In, type EntityManager } from 'typeorm';
import { returnedRows } from '../common/ids';
import { ChannelEntity, OverwriteEntity } from './channel.entity';

/** A channel with its permission overwrites. */
export interface ChannelRow extends ChannelEntity {
  overwrites: OverwriteEntity[];
}

/** The channels and channel_overwrites tables. */
export class ChannelRepository {
  constructor(private readonly manager: EntityManager) {}

  private async withOverwrites(channels: ChannelEntity[]): Promise<ChannelRow[]> {
    if (channels.length === 0) return [];
    const overwrites = await this.manager.find(OverwriteEntity, {
      where: { channelId: In(channels.map((c) => c.id)) },
      order: { targetId: 'ASC' },
    });
    return channels.map((c) => ({
      ...c,
      overwrites: overwrites.filter((o) => o.channelId === c.id),
    }));
  }

  /** The guild's channels by position. */
  async listByGuild(guildId: string): Promise<ChannelRow[]> {
    return this.withOverwrites(
      await this.manager.find(ChannelEntity, { where: { guildId }, order: { position: 'ASC' } }),
    );
  }

  async find(id: string): Promise<ChannelRow | null> {
    const channel = await this.manager.findOneBy(ChannelEntity, { id });
    return channel ? ((await this.withOverwrites([channel]))[0] ?? null) : null;
  }

  /** The next free position at the end of the guild's list. */
  async nextPosition(guildId: string): Promise<number> {
    const rows: { next: number }[] = await this.manager.query(
      `SELECT COALESCE(MAX(position) + 1, 0)::int AS next FROM channels WHERE guild_id = $1`,
      [guildId],
    );
    return rows[0]?.next ?? 0;
  }

  async insert(channel: ChannelEntity): Promise<void> {
    await this.manager.insert(ChannelEntity, channel);
  }

  async update(
    id: string,
    patch: Partial<
      Pick<ChannelEntity, 'name' | 'parentId' | 'position' | 'topic' | 'slowmodeSeconds'>
    >,
  ): Promise<void> {
    await this.manager.update(ChannelEntity, { id }, patch);
  }

  async delete(id: string): Promise<void> {
    await this.manager.delete(ChannelEntity, { id });
  }

  /** Channels whose parent is the given category. */
  async childrenOf(guildId: string, parentId: string): Promise<ChannelEntity[]> {
    return this.manager.find(ChannelEntity, { where: { guildId, parentId } });
  }

  async putOverwrite(overwrite: OverwriteEntity): Promise<void> {
    await this.manager.upsert(OverwriteEntity, overwrite, ['channelId', 'targetId']);
  }

  /** False when there was no such overwrite. */
  async deleteOverwrite(channelId: string, targetId: string): Promise<boolean> {
    const result = await this.manager.delete(OverwriteEntity, { channelId, targetId });
    return (result.affected ?? 0) > 0;
  }

  /** Removes the overwrites naming a target (a deleted role, a departed member) in a guild. */
  async deleteOverwritesFor(guildId: string, targetId: string): Promise<string[]> {
    const result: unknown = await this.manager.query(
      `DELETE FROM channel_overwrites o USING channels c
       WHERE o.channel_id = c.id AND c.guild_id = $1 AND o.target_id = $2
       RETURNING o.channel_id`,
      [guildId, targetId],
    );
    return returnedRows<{ channel_id: string }>(result).map((r) => String(r.channel_id));
  }
}
