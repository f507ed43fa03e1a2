import { Client, type ClientConfig } from 'pg';
import type { EventEnvelope } from '@echopulse/service-kit';

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
