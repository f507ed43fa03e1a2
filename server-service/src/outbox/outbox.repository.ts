import { Client, type ClientConfig } from 'pg';
import type { EventEnvelope } from '@echopulse/service-kit';
import type { GuildStateSnapshot } from '@echopulse/guild-contracts';

/** A guild's state as the snapshot query reads it (the snapshot less its Kafka offsets). */
export type GuildState = Omit<GuildStateSnapshot, 'eventOffsets'>;

/** RFC 3339 in UTC with milliseconds, as JavaScript's toISOString() writes it. */
const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Each requested guild's whole state in one statement: the snapshots the relay writes to the
 * guild snapshots topic, in the shape of guild-contracts' GuildStateSnapshot (null for a guild
 * that no longer exists).
 */
const GUILD_STATES_SQL = `
SELECT want.id::text AS guild_id,
  CASE WHEN g.id IS NOT NULL THEN json_build_object(
    'guild', json_build_object('id', g.id::text, 'name', g.name, 'ownerId', g.owner_id,
      'iconUrl', g.icon_url, 'createdAt', ${iso('g.created_at')}),
    'roles', coalesce((SELECT json_agg(json_build_object('id', r.id::text,
        'guildId', r.guild_id::text, 'name', r.name, 'color', r.color, 'position', r.position,
        'permissions', r.permissions::text, 'mentionable', r.mentionable) ORDER BY r.position)
      FROM roles r WHERE r.guild_id = g.id), '[]'),
    'channels', coalesce((SELECT json_agg(json_build_object('id', c.id::text,
        'guildId', c.guild_id::text, 'type', c.type, 'name', c.name,
        'parentId', c.parent_id::text, 'position', c.position, 'topic', c.topic,
        'slowmodeSeconds', c.slowmode_seconds,
        'overwrites', coalesce((SELECT json_agg(json_build_object('id', o.target_id,
            'type', o.type, 'allow', o.allow::text, 'deny', o.deny::text)
            ORDER BY o.type, o.target_id)
          FROM channel_overwrites o WHERE o.channel_id = c.id), '[]')) ORDER BY c.position, c.id)
      FROM channels c WHERE c.guild_id = g.id), '[]'),
    'members', coalesce((SELECT json_agg(json_build_object('guildId', m.guild_id::text,
        'userId', m.user_id, 'username', u.username, 'displayName', u.display_name,
        'nickname', m.nickname,
        'roleIds', coalesce((SELECT json_agg(mr.role_id::text ORDER BY mr.role_id)
          FROM member_roles mr WHERE mr.guild_id = m.guild_id AND mr.user_id = m.user_id), '[]'),
        'joinedAt', ${iso('m.joined_at')}) ORDER BY m.user_id)
      FROM members m JOIN users u ON u.id = m.user_id WHERE m.guild_id = g.id), '[]'),
    'bans', coalesce((SELECT json_agg(json_build_object('userId', b.user_id, 'reason', b.reason)
        ORDER BY b.user_id)
      FROM bans b WHERE b.guild_id = g.id), '[]'),
    'takenAt', ${iso('now()')})
  END AS state
FROM unnest($1::bigint[]) AS want(id) LEFT JOIN guilds g ON g.id = want.id`;

/** An outbox row waiting to be published. */
export interface OutboxRow {
  /** Decimal string (bigserial). */
  position: string;
  id: string;
  guildId: string;
  type: string;
  envelope: EventEnvelope;
}

/** How far behind the relay is. */
export interface OutboxLag {
  /** Rows not yet published. */
  unpublished: number;
  /** Age of the oldest unpublished row in seconds, null when there is none. */
  oldestAgeSeconds: number | null;
}

/** The NOTIFY channel of the outbox trigger (see the CreateOutbox migration). */
export const OUTBOX_CHANNEL = 'outbox';

/**
 * The relay's one dedicated Postgres connection (not from the app's pool): it holds the
 * session-level advisory lock that makes its owner the only active relay, LISTENs for new rows
 * and runs the relay's queries. If the connection dies the lock goes with it, which is exactly
 * what lets a standby relay take over.
 */
export class OutboxConnection {
  private readonly client: Client;
  private closed = false;

  private constructor(
    config: ClientConfig,
    onNotify: () => void,
    private readonly onLost: (error: Error) => void,
  ) {
    this.client = new Client(config);
    this.client.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL) onNotify();
    });
    // An idle client's broken socket surfaces here, not in a query; without a listener it would crash the process.
    this.client.on('error', (error) => this.lost(error));
    this.client.on('end', () => this.lost(new Error('Postgres connection ended')));
  }

  /** Opens a connection; `onNotify` fires on each outbox NOTIFY once `listen()` was called. */
  static async open(
    config: ClientConfig,
    onNotify: () => void,
    onLost: (error: Error) => void,
  ): Promise<OutboxConnection> {
    const connection = new OutboxConnection(
      { ...config, application_name: config.application_name ?? 'outbox-relay' },
      onNotify,
      onLost,
    );
    try {
      await connection.client.connect();
    } catch (error) {
      connection.closed = true;
      await connection.client.end().catch(() => undefined);
      throw error;
    }
    return connection;
  }

  private lost(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.onLost(error);
  }

  get alive(): boolean {
    return !this.closed;
  }

  /** Tries to become the active relay; true if this session now holds the lock. */
  async tryLock(key: bigint): Promise<boolean> {
    const result = await this.client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::bigint) AS locked',
      [key.toString()],
    );
    return result.rows[0]?.locked === true;
  }

  async listen(): Promise<void> {
    await this.client.query(`LISTEN ${OUTBOX_CHANNEL}`);
  }

  /** The oldest unpublished rows, in position order. */
  async fetchUnpublished(limit: number): Promise<OutboxRow[]> {
    const result = await this.client.query<{
      position: string;
      id: string;
      guild_id: string;
      type: string;
      envelope: EventEnvelope;
    }>(
      `SELECT position, id, guild_id, type, envelope FROM outbox
       WHERE published_at IS NULL ORDER BY position LIMIT $1`,
      [limit],
    );
    return result.rows.map((r) => ({
      position: r.position,
      id: r.id,
      guildId: r.guild_id,
      type: r.type,
      envelope: r.envelope,
    }));
  }

  async markPublished(positions: string[]): Promise<void> {
    await this.client.query(
      `UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])`,
      [positions],
    );
  }

  /** Deletes up to `limit` rows published before `olderThanMs` ago; returns how many it deleted. */
  async deletePublished(olderThanMs: number, limit: number): Promise<number> {
    const result = await this.client.query(
      `DELETE FROM outbox WHERE position IN (
         SELECT position FROM outbox
         WHERE published_at IS NOT NULL AND published_at < now() - $1 * interval '1 millisecond'
         ORDER BY published_at LIMIT $2)`,
      [olderThanMs, limit],
    );
    return result.rowCount ?? 0;
  }

  /**
   * The whole state of each guild (null: deleted), read in one statement, hence one consistent
   * view. Read it after the guild's events were published: it includes them all.
   */
  async guildStates(guildIds: readonly string[]): Promise<Map<string, GuildState | null>> {
    const result = await this.client.query<{ guild_id: string; state: GuildState | null }>(
      GUILD_STATES_SQL,
      [guildIds],
    );
    return new Map(result.rows.map((r) => [r.guild_id, r.state]));
  }

  /** A page of guild ids in id order (for writing every guild's snapshot once). */
  async guildIds(after: string, limit: number): Promise<string[]> {
    const result = await this.client.query<{ id: string }>(
      `SELECT id::text AS id FROM guilds WHERE id > $1::bigint ORDER BY id LIMIT $2`,
      [after, limit],
    );
    return result.rows.map((r) => r.id);
  }

  async lag(): Promise<OutboxLag> {
    const result = await this.client.query<{ unpublished: number; oldest: number | null }>(
      `SELECT count(*)::int AS unpublished,
              extract(epoch FROM now() - min(created_at))::float8 AS oldest
       FROM outbox WHERE published_at IS NULL`,
    );
    const row = result.rows[0];
    return { unpublished: row?.unpublished ?? 0, oldestAgeSeconds: row?.oldest ?? null };
  }

  /** Closes the connection, which also releases the advisory lock and the LISTEN. */
  async close(): Promise<void> {
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }
}
