/**
 * # Writing server events: the contract
 *
 * Every change to guilds, channels, members or roles that other services must learn of is
 * written together with its event, in ONE Postgres transaction:
 *
 * ```ts
 * await dataSource.transaction('READ COMMITTED', async (manager) => {
 *   await manager.insert(GuildEntity, guild);                        // the domain change
 *   await outbox.append(manager, serverEvent('guild.created', guild.id, data)); // its event
 * });
 * ```
 *
 * - `manager` must be the EntityManager TypeORM passes to `transaction()` (or a query runner's
 *   manager with a transaction started). Outside a transaction `append` throws: an event written
 *   on its own could commit without its change, or the change without its event.
 * - The event goes out only if the transaction commits; a rollback leaves no trace. Publication is
 *   at least once, in append order (`position`) per guild — consumers deduplicate on `event.id`.
 * - Build events with `serverEvent()` from `@echopulse/guild-contracts` (it validates them); the
 *   Kafka key is the guild id of the event's subject (`guilds/{id}`).
 * - Order: events are published in the order they were appended. Two concurrent transactions on
 *   the same guild commit in whatever order Postgres lets them; lock the guild row (or otherwise
 *   serialise writers of one guild) when their relative order matters to consumers.
 * - The insert fires a NOTIFY (a trigger of the migration), delivered at commit, which wakes the
 *   relay at once; the relay also polls, so a lost notification only costs a poll interval.
 */
import { serverEventKey, type ServerEvent } from '@echopulse/guild-contracts';
import type { EntityManager } from 'typeorm';

/** Appends server events to the outbox inside the caller's transaction. */
export class OutboxWriter {
  /**
   * Writes `event` into the outbox with the caller's transaction.
   * @param manager the transaction's EntityManager (from `dataSource.transaction(...)`)
   * @throws Error when `manager` is not in a transaction
   */
  async append(manager: EntityManager, event: ServerEvent): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        `OutboxWriter.append(${event.type}) needs the EntityManager of an active transaction`,
      );
    }
    await manager.query(
      `INSERT INTO outbox (id, guild_id, type, envelope) VALUES ($1, $2, $3, $4::jsonb)`,
      [event.id, serverEventKey(event), event.type, JSON.stringify(event)],
    );
  }

  /** Appends several events in one statement, in the given order. Same contract as `append`. */
  async appendAll(manager: EntityManager, events: readonly ServerEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.appendAll needs the EntityManager of an active transaction');
    }
    // WITH ORDINALITY keeps the given order in the bigserial positions.
    await manager.query(
      `INSERT INTO outbox (id, guild_id, type, envelope)
       SELECT e.id, e.guild_id, e.type, e.envelope
       FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::jsonb[]) WITH ORDINALITY
         AS e(id, guild_id, type, envelope, n)
       ORDER BY e.n`,
      [
        events.map((e) => e.id),
        events.map((e) => serverEventKey(e)),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e)),
      ],
    );
  }
}
