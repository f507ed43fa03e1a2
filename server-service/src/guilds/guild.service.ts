import {
  actsAsOwner,
  DEFAULT_EVERYONE_PERMISSIONS,
  serializePermissions,
  serverEvent,
} from '@echopulse/guild-contracts';
import {
  BadRequestError,
  ForbiddenError,
  hasRole,
  UnprocessableError,
  type Principal,
} from '@echopulse/service-kit';
import { z } from 'zod';
import { channelSnapshot } from '../channels/channel.types';
import type { ServiceDeps } from '../common/context';
import { pageOf } from '../common/types';
import { memberSnapshot } from '../members/member.types';
import { loadGuildAccess, requirePermission } from '../permissions/guild-access';
import { roleSnapshot } from '../roles/role.types';
import type { CreateGuildBody, Guild, GuildPage, UpdateGuildBody } from './guild.types';
import { toGuild } from './guild.types';

/** The URL check consumers apply to `iconUrl` (guild-contracts' zod schema), with http(s) only. */
const iconUrlSchema = z.url({ protocol: /^https?$/ });

/** Refuses an icon URL that the events' schema would refuse, as a 400 naming the field. */
function checkIconUrl(iconUrl: string | null | undefined): void {
  if (iconUrl === null || iconUrl === undefined) return;
  if (!iconUrlSchema.safeParse(iconUrl).success) {
    throw new BadRequestError('The request has invalid fields.', {
      errors: { 'body.iconUrl': { message: 'must be an http(s) URL', value: iconUrl } },
    });
  }
}

/** Guilds: creation with their defaults, reading, renaming, ownership transfer, deletion. */
export class GuildService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Creates a guild owned by the caller with its @everyone role (id = guild id), a "Text
   * Channels" category holding a "general" text channel, and the caller as first member.
   */
  async create(actor: Principal, body: CreateGuildBody): Promise<Guild> {
    checkIconUrl(body.iconUrl);
    const { ids } = this.deps;
    const guildId = ids.next();
    const categoryId = ids.next();
    const generalId = ids.next();
    return this.deps.db.transaction(async (r) => {
      const now = new Date();
      const guild = {
        id: guildId,
        name: body.name.trim(),
        ownerId: actor.id,
        iconUrl: body.iconUrl ?? null,
        createdAt: now,
      };
      await r.guilds.insert(guild);
      const everyone = {
        id: guildId,
        guildId,
        name: '@everyone',
        color: 0,
        position: 0,
        permissions: serializePermissions(DEFAULT_EVERYONE_PERMISSIONS),
        mentionable: false,
        createdAt: now,
      };
      await r.roles.insert(everyone);
      const channelDefaults = { guildId, topic: null, slowmodeSeconds: 0, createdAt: now };
      await r.channels.insert({
        ...channelDefaults,
        id: categoryId,
        type: 'category',
        name: 'Text Channels',
        parentId: null,
        position: 0,
      });
      await r.channels.insert({
        ...channelDefaults,
        id: generalId,
        type: 'text',
        name: 'general',
        parentId: categoryId,
        position: 1,
      });
      await r.members.insert(guildId, actor.id);
      const owner = (await r.members.find(guildId, actor.id))!;
      const channels = await r.channels.listByGuild(guildId);
      await r.events.append(
        serverEvent('guild.created', guildId, {
          guild: toGuild(guild),
          roles: [roleSnapshot(everyone)],
          members: [memberSnapshot(owner)],
          channels: channels.map(channelSnapshot),
        }),
      );
      return toGuild(guild);
    });
  }

  /** Guilds the caller is a member of; realm admins see every guild but those that banned them. */
  async list(actor: Principal, after: string | undefined, limit: number): Promise<GuildPage> {
    return this.deps.db.read(async (r) => {
      const rows = hasRole(actor, 'admin')
        ? await r.guilds.listAllNotBanning(actor.id, after, limit)
        : await r.guilds.listForMember(actor.id, after, limit);
      return pageOf(rows.map(toGuild), limit, (g) => g.id);
    });
  }

  /** The caller's own guilds, whatever their realm roles. */
  async listMine(actor: Principal, after: string | undefined, limit: number): Promise<GuildPage> {
    return this.deps.db.read(async (r) => {
      const rows = await r.guilds.listForMember(actor.id, after, limit);
      return pageOf(rows.map(toGuild), limit, (g) => g.id);
    });
  }

  async get(actor: Principal, guildId: string): Promise<Guild> {
    return this.deps.db.read(async (r) =>
      toGuild((await loadGuildAccess(r, actor, guildId)).guild),
    );
  }

  /** Renames, changes the icon (MANAGE_GUILD) or transfers ownership (owner only). */
  async update(actor: Principal, guildId: string, body: UpdateGuildBody): Promise<Guild> {
    checkIconUrl(body.iconUrl);
    return this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      const { guild } = access;
      if (body.name !== undefined || body.iconUrl !== undefined) {
        requirePermission(access.base, 'MANAGE_GUILD');
      }
      if (body.ownerId !== undefined && body.ownerId !== guild.ownerId) {
        if (!actsAsOwner(access.ctx)) {
          throw new ForbiddenError('Only the owner can transfer the guild.', 'not_owner');
        }
        if (!(await r.members.find(guildId, body.ownerId))) {
          throw new UnprocessableError(
            'The new owner must be a member of the guild.',
            'new_owner_not_member',
          );
        }
      }
      const patch = {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.iconUrl !== undefined ? { iconUrl: body.iconUrl } : {}),
        ...(body.ownerId !== undefined ? { ownerId: body.ownerId } : {}),
      };
      if (Object.keys(patch).length === 0) return toGuild(guild);
      await r.guilds.update(guildId, patch);
      const updated = { ...guild, ...patch };
      await r.events.append(serverEvent('guild.updated', guildId, { guild: toGuild(updated) }));
      return toGuild(updated);
    });
  }

  /** Deletes the guild and everything in it (owner or realm admin). */
  async delete(actor: Principal, guildId: string): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const access = await loadGuildAccess(r, actor, guildId, { lock: 'update' });
      if (!actsAsOwner(access.ctx)) {
        throw new ForbiddenError('Only the owner can delete the guild.', 'not_owner');
      }
      await r.guilds.delete(guildId);
      await r.events.append(serverEvent('guild.deleted', guildId, { guildId }));
    });
  }
}
