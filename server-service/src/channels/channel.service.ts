import {
  canGrantPermissions,
  computeChannelPermissions,
  hasPermission,
  parsePermissions,
  Permissions,
  permissionNames,
  serializePermissions,
  serverEvent,
} from '@echopulse/guild-contracts';
import { NotFoundError, UnprocessableError, type Principal } from '@echopulse/service-kit';
import type { ServiceDeps } from '../common/context';
import { isRowId } from '../common/ids';
import { reorder } from '../common/positions';
import type { Repositories } from '../db/database';
import {
  loadChannelAccess,
  loadGuildAccess,
  requirePermission,
  toOverwriteInput,
  type GuildAccess,
} from '../permissions/guild-access';
import type { ChannelRow } from './channel.repository';
import {
  channelSnapshot,
  overwriteSnapshots,
  toChannel,
  type Channel,
  type CreateChannelBody,
  type EffectivePermissions,
  type PutOverwriteBody,
  type UpdateChannelBody,
} from './channel.types';

/** Channels, their order and their permission overwrites. */
export class ChannelService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The guild's channels the caller can see (VIEW_CHANNEL), by position. */
  async list(actor: Principal, guildId: string): Promise<Channel[]> {
    return this.deps.db.read(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId);
      const channels = await r.channels.listByGuild(guildId);
      return channels.filter((c) => this.canView(access, c)).map(toChannel);
    });
  }

  private canView(access: GuildAccess, channel: ChannelRow): boolean {
    const perms = computeChannelPermissions(access.ctx, channel.overwrites.map(toOverwriteInput));
    return hasPermission(perms, Permissions.VIEW_CHANNEL);
  }

  /** A parent must be a category of the same guild, and only text channels have one. */
  private async checkParent(
    r: Repositories,
    guildId: string,
    type: 'text' | 'category',
    parentId: string | null | undefined,
  ): Promise<void> {
    if (parentId === null || parentId === undefined) return;
    if (type === 'category') {
      throw new UnprocessableError('A category cannot have a parent.', 'category_parent');
    }
    const parent = isRowId(parentId) ? await r.channels.find(parentId) : null;
    if (!parent || parent.guildId !== guildId || parent.type !== 'category') {
      throw new UnprocessableError(
        'parentId must name a category of the same guild.',
        'invalid_parent',
      );
    }
  }

  /** Creates a channel at the end of the list (MANAGE_CHANNELS). */
  async create(actor: Principal, guildId: string, body: CreateChannelBody): Promise<Channel> {
    const id = this.deps.ids.next();
    return this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      requirePermission(access.base, 'MANAGE_CHANNELS');
      const type = body.type ?? 'text';
      await this.checkParent(r, guildId, type, body.parentId);
      await r.channels.insert({
        id,
        guildId,
        type,
        name: body.name.trim(),
        parentId: body.parentId ?? null,
        // the guild row is locked, so no concurrent create takes the same position
        position: await r.channels.nextPosition(guildId),
        topic: body.topic ?? null,
        slowmodeSeconds: body.slowmodeSeconds ?? 0,
        createdAt: new Date(),
      });
      const channel = (await r.channels.find(id))!;
      await r.events.append(
        serverEvent('channel.created', guildId, { channel: channelSnapshot(channel) }),
      );
      return toChannel(channel);
    });
  }

  async get(actor: Principal, channelId: string): Promise<Channel> {
    return this.deps.db.read(async (r) =>
      toChannel((await loadChannelAccess(r, actor, channelId)).channel),
    );
  }

  /** Changes name, topic, slowmode, parent or position (MANAGE_CHANNELS in the channel). */
  async update(actor: Principal, channelId: string, body: UpdateChannelBody): Promise<Channel> {
    return this.deps.db.transaction(async (r) => {
      const access = await loadChannelAccess(r, actor, channelId, { lock: 'update' });
      requirePermission(access.perms, 'MANAGE_CHANNELS');
      const { channel } = access;
      if (body.topic !== undefined && body.topic !== null && channel.type === 'category') {
        throw new UnprocessableError('A category has no topic.', 'category_topic');
      }
      await this.checkParent(r, channel.guildId, channel.type, body.parentId);
      const patch = {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.topic !== undefined ? { topic: body.topic } : {}),
        ...(body.slowmodeSeconds !== undefined ? { slowmodeSeconds: body.slowmodeSeconds } : {}),
        ...(body.parentId !== undefined ? { parentId: body.parentId } : {}),
      };
      if (Object.keys(patch).length) await r.channels.update(channelId, patch);
      const moved: string[] = [];
      if (body.position !== undefined && body.position !== channel.position) {
        const all = await r.channels.listByGuild(channel.guildId);
        for (const { item, position } of reorder(all, channelId, body.position)) {
          await r.channels.update(item.id, { position });
          if (item.id !== channelId) moved.push(item.id);
        }
      }
      const updated = (await r.channels.find(channelId))!;
      await r.events.append(
        serverEvent('channel.updated', channel.guildId, { channel: channelSnapshot(updated) }),
      );
      for (const id of moved) {
        const other = (await r.channels.find(id))!;
        await r.events.append(
          serverEvent('channel.updated', channel.guildId, { channel: channelSnapshot(other) }),
        );
      }
      return toChannel(updated);
    });
  }

  /** Deletes the channel (MANAGE_CHANNELS); a category's channels move to the top level. */
  async delete(actor: Principal, channelId: string): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const access = await loadChannelAccess(r, actor, channelId, { lock: 'update' });
      requirePermission(access.perms, 'MANAGE_CHANNELS');
      const { guildId } = access.channel;
      const children = await r.channels.childrenOf(guildId, channelId);
      await r.channels.delete(channelId); // the database sets the children's parent to null
      await r.events.append(serverEvent('channel.deleted', guildId, { guildId, channelId }));
      for (const child of children) {
        const updated = (await r.channels.find(child.id))!;
        await r.events.append(
          serverEvent('channel.updated', guildId, { channel: channelSnapshot(updated) }),
        );
      }
    });
  }

  /**
   * Sets the overwrite of a role or member on a channel (MANAGE_ROLES in the channel). As in
   * Discord, one may only allow or deny permissions one has, unless ADMINISTRATOR.
   */
  async putOverwrite(
    actor: Principal,
    channelId: string,
    targetId: string,
    body: PutOverwriteBody,
  ): Promise<Channel> {
    const allow = parsePermissions(body.allow ?? '0');
    const deny = parsePermissions(body.deny ?? '0');
    if ((allow & deny) !== 0n) {
      throw new UnprocessableError(
        `Permissions ${permissionNames(allow & deny).join(', ')} are both allowed and denied.`,
        'allow_deny_overlap',
      );
    }
    return this.deps.db.transaction(async (r) => {
      const access = await loadChannelAccess(r, actor, channelId, { lock: 'update' });
      requirePermission(access.perms, 'MANAGE_ROLES');
      const { guildId } = access.channel;
      const exists =
        body.type === 'role'
          ? isRowId(targetId) && (await r.roles.find(guildId, targetId)) !== null
          : (await r.members.find(guildId, targetId)) !== null;
      if (!exists) {
        throw new UnprocessableError(
          `The overwrite's target is not a ${body.type} of this guild.`,
          'unknown_overwrite_target',
        );
      }
      if (!canGrantPermissions(access.ctx, allow | deny)) {
        throw new UnprocessableError(
          'An overwrite may only allow or deny permissions you have yourself.',
          'permissions_not_held',
        );
      }
      await r.channels.putOverwrite({
        channelId,
        targetId,
        type: body.type,
        allow: serializePermissions(allow),
        deny: serializePermissions(deny),
      });
      const updated = (await r.channels.find(channelId))!;
      await r.events.append(
        serverEvent('channel.overwrites-changed', guildId, {
          guildId,
          channelId,
          overwrites: overwriteSnapshots(updated),
        }),
      );
      return toChannel(updated);
    });
  }

  async deleteOverwrite(actor: Principal, channelId: string, targetId: string): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const access = await loadChannelAccess(r, actor, channelId, { lock: 'update' });
      requirePermission(access.perms, 'MANAGE_ROLES');
      if (!(await r.channels.deleteOverwrite(channelId, targetId))) {
        throw new NotFoundError('Overwrite');
      }
      const { guildId } = access.channel;
      const updated = (await r.channels.find(channelId))!;
      await r.events.append(
        serverEvent('channel.overwrites-changed', guildId, {
          guildId,
          channelId,
          overwrites: overwriteSnapshots(updated),
        }),
      );
    });
  }

  /** The caller's effective permissions in the channel. */
  async myPermissions(actor: Principal, channelId: string): Promise<EffectivePermissions> {
    return this.deps.db.read(async (r) => {
      const { perms } = await loadChannelAccess(r, actor, channelId);
      return { channelId, permissions: serializePermissions(perms), names: permissionNames(perms) };
    });
  }
}
