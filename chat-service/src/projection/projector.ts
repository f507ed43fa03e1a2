import type {
  ChannelSnapshot,
  GuildSnapshot,
  GuildStateSnapshot,
  MemberSnapshot,
  OverwriteSnapshot,
  RoleSnapshot,
  ServerEvent,
} from '@echopulse/guild-contracts';
import type { Logger } from '@echopulse/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessChange } from '../access/channel-access';
import { loadGuildState, type GuildState } from '../guild-events/guild-state';

/** The Postgres NOTIFY channel of access changes (see access/access-changes.ts). */
export const ACCESS_CHANNEL = 'chat_access';

/** Advisory lock class of the projector: one guild's events are applied one at a time. */
const GUILD_LOCK_CLASS = 0x636870; // 'chp'

/** What applying one event did. */
export interface ApplyResult {
  /**
   * `applied`: the tables changed (or were confirmed) in this call; `duplicate`: the event id was
   * already processed; `ignored`: the event names a guild the projection does not hold (deleted,
   * or created before the topic's retention), so there is nothing to apply it to.
   */
  status: 'applied' | 'duplicate' | 'ignored';
  /** Access changes notified on `chat_access` (delivered once the transaction committed). */
  changes: AccessChange[];
  /**
   * With `captureState`, an `applied` event's guild as the projection held it just before and
   * just after (undefined where it did not exist): what guild events are computed from.
   */
  states?: { before: GuildState | undefined; after: GuildState | undefined };
}

export interface ProjectorOptions {
  /** Read the guild's state before and after each applied event (for guild events). */
  captureState?: boolean;
}

/** Events that create or update the guild row itself; every other event needs the guild. */
const CREATES_GUILD = new Set<string>(['guild.created']);

/**
 * Applies server events to the projection tables. Each event is one transaction: its id goes into
 * processed_events first (a redelivery finds it there and changes nothing), then the change,
 * then `pg_notify('chat_access', …)` where access may have shrunk, which Postgres delivers only
 * if and when the transaction commits. Every write is an upsert or a replace-by-snapshot, so an
 * event applied twice (after a rebuild, say) leaves the same rows.
 */
export class Projector {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly options: ProjectorOptions = {},
  ) {}

  async apply(event: ServerEvent): Promise<ApplyResult> {
    const guildId = guildIdOf(event);
    return this.dataSource.transaction(async (m) => {
      // Two consumers may briefly hold the same partition during a rebalance, or a rebuild may
      // run beside the live consumer: serialise per guild so their writes never interleave.
      await m.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [GUILD_LOCK_CLASS, guildId]);
      const fresh = await m.query(
        `INSERT INTO processed_events (event_id, type) VALUES ($1, $2)
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [event.id, event.type],
      );
      if (fresh.length === 0) return { status: 'duplicate', changes: [] };

      if (!CREATES_GUILD.has(event.type) && !(await guildExists(m, guildId))) {
        this.logger.debug(
          { eventId: event.id, type: event.type, guildId },
          'server event for a guild the projection does not hold; ignored',
        );
        return { status: 'ignored', changes: [] };
      }

      // Read under the guild's lock, in the transaction: no other event of the guild in between.
      const before = this.options.captureState ? await loadGuildState(m, guildId) : undefined;
      const changes = await applyEvent(m, event);
      for (const change of changes) {
        await m.query(`SELECT pg_notify($1, $2)`, [ACCESS_CHANNEL, JSON.stringify(change)]);
      }
      if (!this.options.captureState) return { status: 'applied', changes };
      const after = await loadGuildState(m, guildId);
      return { status: 'applied', changes, states: { before, after } };
    });
  }

  /**
   * Replaces everything the projection holds of a guild with a snapshot of its whole state
   * (`server.guild-snapshots`, read by a rebuild): the guild's rows go (with their cascade) and
   * the snapshot's come, in one transaction under the guild's lock.
   */
  async applySnapshot(snapshot: GuildStateSnapshot): Promise<void> {
    const guildId = snapshot.guild.id;
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [GUILD_LOCK_CLASS, guildId]);
      await m.query(`DELETE FROM guilds WHERE id = $1`, [guildId]);
      await upsertGuild(m, snapshot.guild);
      for (const role of snapshot.roles) await upsertRole(m, role);
      for (const channel of snapshot.channels) await upsertChannel(m, channel);
      for (const member of snapshot.members) await upsertMember(m, member);
      for (const ban of snapshot.bans) {
        await m.query(
          `INSERT INTO bans (guild_id, user_id, reason) VALUES ($1, $2, $3)
           ON CONFLICT (guild_id, user_id) DO UPDATE SET reason = EXCLUDED.reason`,
          [guildId, ban.userId, ban.reason],
        );
      }
      const change: AccessChange = { guildId, cause: 'guild.snapshot' };
      await m.query(`SELECT pg_notify($1, $2)`, [ACCESS_CHANNEL, JSON.stringify(change)]);
    });
  }
}

/** The guild an event belongs to (its subject, `guilds/{id}`, which parseServerEvent checked). */
export function guildIdOf(event: ServerEvent): string {
  return event.subject.slice('guilds/'.length);
}

async function guildExists(m: EntityManager, guildId: string): Promise<boolean> {
  return (await m.query(`SELECT 1 FROM guilds WHERE id = $1`, [guildId])).length > 0;
}

/** Applies one event's change; returns the access changes to notify. */
async function applyEvent(m: EntityManager, event: ServerEvent): Promise<AccessChange[]> {
  const cause = event.type;
  switch (event.type) {
    case 'guild.created': {
      const { guild, roles, members, channels } = event.data;
      await upsertGuild(m, guild);
      for (const role of roles) await upsertRole(m, role);
      for (const channel of channels ?? []) await upsertChannel(m, channel);
      for (const member of members) await upsertMember(m, member);
      return [];
    }
    case 'guild.updated': {
      await upsertGuild(m, event.data.guild);
      for (const role of event.data.roles ?? []) await upsertRole(m, role);
      // The owner may have changed hands: the previous owner's access shrinks.
      return [{ guildId: event.data.guild.id, cause }];
    }
    case 'guild.deleted': {
      // Its channels' messages, read states and the rest are purged later (purge/), in batches.
      await schedulePurge(m, event.data.guildId, undefined, cause);
      // Everything else of the guild cascades.
      await m.query(`DELETE FROM guilds WHERE id = $1`, [event.data.guildId]);
      return [{ guildId: event.data.guildId, cause }];
    }
    case 'channel.created':
      await upsertChannel(m, event.data.channel);
      return [];
    case 'channel.updated': {
      const { channel } = event.data;
      await upsertChannel(m, channel);
      return [{ guildId: channel.guildId, channelId: channel.id, cause }];
    }
    case 'channel.deleted': {
      const { guildId, channelId } = event.data;
      await schedulePurge(m, guildId, channelId, cause);
      await m.query(`DELETE FROM channels WHERE id = $1 AND guild_id = $2`, [channelId, guildId]);
      // As in server-service, a deleted category's channels move to the top level (their own
      // channel.updated events follow; this keeps the projection right even before them).
      await m.query(`UPDATE channels SET parent_id = NULL WHERE guild_id = $1 AND parent_id = $2`, [
        guildId,
        channelId,
      ]);
      return [{ guildId, channelId, cause }];
    }
    case 'channel.overwrites-changed': {
      const { guildId, channelId, overwrites } = event.data;
      await replaceOverwrites(m, guildId, channelId, overwrites);
      return [{ guildId, channelId, cause }];
    }
    case 'member.joined':
      await upsertMember(m, event.data.member);
      return [];
    case 'member.updated': {
      const { member } = event.data;
      await upsertMember(m, member);
      // The snapshot carries the roles, which may differ from what the projection held.
      return [{ guildId: member.guildId, userId: member.userId, cause }];
    }
    case 'member.left':
    case 'member.kicked': {
      const { guildId, userId } = event.data;
      await deleteMember(m, guildId, userId);
      return [{ guildId, userId, cause }];
    }
    case 'member.banned': {
      const { guildId, userId, reason } = event.data;
      await deleteMember(m, guildId, userId);
      await m.query(
        `INSERT INTO bans (guild_id, user_id, reason) VALUES ($1, $2, $3)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET reason = EXCLUDED.reason`,
        [guildId, userId, reason],
      );
      return [{ guildId, userId, cause }];
    }
    case 'member.unbanned': {
      const { guildId, userId } = event.data;
      await m.query(`DELETE FROM bans WHERE guild_id = $1 AND user_id = $2`, [guildId, userId]);
      return [];
    }
    case 'member.roles-changed': {
      const { guildId, userId, roleIds } = event.data;
      await replaceMemberRoles(m, guildId, userId, roleIds);
      return [{ guildId, userId, cause }];
    }
    case 'role.created':
      await upsertRole(m, event.data.role);
      return [];
    case 'role.updated': {
      const { role } = event.data;
      await upsertRole(m, role);
      return [{ guildId: role.guildId, cause }];
    }
    case 'role.deleted': {
      const { guildId, roleId } = event.data;
      // Its member_roles rows cascade; its overwrites go too (server-service follows with
      // channel.overwrites-changed events, which then change nothing).
      await m.query(
        `DELETE FROM channel_overwrites o USING channels c
          WHERE o.channel_id = c.id AND c.guild_id = $1 AND o.type = 'role' AND o.target_id = $2`,
        [guildId, roleId],
      );
      await m.query(`DELETE FROM roles WHERE id = $1 AND guild_id = $2`, [roleId, guildId]);
      return [{ guildId, cause }];
    }
    default: {
      // A new type must be handled here before guild-contracts lets it through parseServerEvent.
      const unknown: never = event;
      throw new Error(`no projection for server event ${(unknown as ServerEvent).type}`);
    }
  }
}

/**
 * Tombstones a deleted channel (or every channel of a deleted guild) and records a purge job for
 * it, in the deleting transaction: the job survives a crash, and the archiver refuses the
 * channel's late records from this commit on. Both are upserts, so a replayed deletion (a
 * rebuild) only schedules a purge that finds nothing left.
 */
async function schedulePurge(
  m: EntityManager,
  guildId: string,
  channelId: string | undefined,
  reason: string,
): Promise<void> {
  const channels = channelId
    ? `SELECT $2::bigint AS id, $1::bigint AS guild_id`
    : `SELECT id, guild_id FROM channels WHERE guild_id = $1`;
  const params = channelId ? [guildId, channelId] : [guildId];
  await m.query(
    `INSERT INTO deleted_channels (channel_id, guild_id) SELECT id, guild_id FROM (${channels}) c
     ON CONFLICT (channel_id) DO NOTHING`,
    params,
  );
  await m.query(
    `INSERT INTO purge_jobs (channel_id, guild_id, reason)
     SELECT id, guild_id, $${params.length + 1} FROM (${channels}) c
     ON CONFLICT (channel_id) DO NOTHING`,
    [...params, reason],
  );
}

async function upsertGuild(m: EntityManager, g: GuildSnapshot): Promise<void> {
  await m.query(
    `INSERT INTO guilds (id, name, owner_id, icon_url, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, owner_id = EXCLUDED.owner_id,
       icon_url = EXCLUDED.icon_url, created_at = EXCLUDED.created_at`,
    [g.id, g.name, g.ownerId, g.iconUrl, g.createdAt],
  );
}

async function upsertRole(m: EntityManager, r: RoleSnapshot): Promise<void> {
  await m.query(
    `INSERT INTO roles (id, guild_id, name, color, position, permissions, mentionable)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, color = EXCLUDED.color,
       position = EXCLUDED.position, permissions = EXCLUDED.permissions,
       mentionable = EXCLUDED.mentionable
     WHERE roles.guild_id = EXCLUDED.guild_id`,
    [r.id, r.guildId, r.name, r.color, r.position, r.permissions, r.mentionable],
  );
}

async function upsertChannel(m: EntityManager, c: ChannelSnapshot): Promise<void> {
  await m.query(
    `INSERT INTO channels (id, guild_id, type, name, parent_id, position, topic, slowmode_seconds)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, name = EXCLUDED.name,
       parent_id = EXCLUDED.parent_id, position = EXCLUDED.position, topic = EXCLUDED.topic,
       slowmode_seconds = EXCLUDED.slowmode_seconds
     WHERE channels.guild_id = EXCLUDED.guild_id`,
    [c.id, c.guildId, c.type, c.name, c.parentId, c.position, c.topic, c.slowmodeSeconds],
  );
  await replaceOverwrites(m, c.guildId, c.id, c.overwrites);
}

/** Replaces a channel's overwrites with the event's complete list (a no-op for an unknown channel). */
async function replaceOverwrites(
  m: EntityManager,
  guildId: string,
  channelId: string,
  overwrites: OverwriteSnapshot[],
): Promise<void> {
  await m.query(`DELETE FROM channel_overwrites WHERE channel_id = $1`, [channelId]);
  if (overwrites.length === 0) return;
  await m.query(
    `INSERT INTO channel_overwrites (channel_id, type, target_id, allow, deny)
     SELECT c.id, o.type, o.target_id, o.allow::bigint, o.deny::bigint
       FROM channels c,
            unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS o (type, target_id, allow, deny)
      WHERE c.id = $1 AND c.guild_id = $2`,
    [
      channelId,
      guildId,
      overwrites.map((o) => o.type),
      overwrites.map((o) => o.id),
      overwrites.map((o) => o.allow),
      overwrites.map((o) => o.deny),
    ],
  );
}

async function upsertMember(m: EntityManager, mb: MemberSnapshot): Promise<void> {
  await m.query(
    `INSERT INTO members (guild_id, user_id, username, display_name, nickname, joined_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (guild_id, user_id) DO UPDATE SET username = EXCLUDED.username,
       display_name = EXCLUDED.display_name, nickname = EXCLUDED.nickname,
       joined_at = EXCLUDED.joined_at`,
    [mb.guildId, mb.userId, mb.username, mb.displayName, mb.nickname, mb.joinedAt],
  );
  await replaceMemberRoles(m, mb.guildId, mb.userId, mb.roleIds);
}

/**
 * Sets a member's roles to the event's complete list. Ids of roles the projection does not hold
 * (and @everyone, which is implied) are left out rather than failing the event; a non-member
 * gets no rows.
 */
async function replaceMemberRoles(
  m: EntityManager,
  guildId: string,
  userId: string,
  roleIds: string[],
): Promise<void> {
  await m.query(`DELETE FROM member_roles WHERE guild_id = $1 AND user_id = $2`, [guildId, userId]);
  if (roleIds.length === 0) return;
  await m.query(
    `INSERT INTO member_roles (guild_id, user_id, role_id)
     SELECT r.guild_id, mb.user_id, r.id
       FROM roles r JOIN members mb ON mb.guild_id = r.guild_id AND mb.user_id = $2
      WHERE r.guild_id = $1 AND r.id = ANY ($3::bigint[]) AND r.id <> $1`,
    [guildId, userId, roleIds],
  );
}

async function deleteMember(m: EntityManager, guildId: string, userId: string): Promise<void> {
  // member_roles cascade.
  await m.query(`DELETE FROM members WHERE guild_id = $1 AND user_id = $2`, [guildId, userId]);
}
