import { HEADERS, READY_EVENT, type GuildReady } from '@echopulse/chat-contracts';
import type { Logger, Principal } from '@echopulse/service-kit';
import { backoffDelay } from '@echopulse/service-kit/backoff';
import type { Broker, Session, Subscription } from '@echopulse/stomp-broker';
import type { RedisClientType } from 'redis';
import { PRINCIPAL } from '../gateway/authenticate';
import { eventsFor, GUILD_EVENTS_QUEUE, type GuildChange } from './guild-events';

export interface GuildDispatcherOptions {
  /** The service's Redis client: publishes changes and keeps each guild's latest seq. */
  redis: RedisClientType;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
  /** The guilds a user is a member of (READY). */
  guildsOf: (userId: string) => Promise<string[]>;
  logger: Logger;
  /** Publish retries before a change is given up (logged); default 5, 100 ms doubling. */
  retries?: number;
}

/** `/user/queue/guild-events` as a client subscribes to it. */
export const GUILD_EVENTS_DESTINATION = `/user${GUILD_EVENTS_QUEUE}`;

const headers = (type: string): [string, string][] => [
  ['content-type', 'application/json'],
  [HEADERS.event, type],
];

/**
 * Guild events across instances. The instance whose projection consumer applied a server event
 * publishes its GuildChange on one Redis channel (`<prefix>guild-events`), in partition order, and
 * records the guild's latest seq (`<prefix>guild-seq`); every instance, itself included, hears it
 * and computes, for each of ITS sessions subscribed to /user/queue/guild-events, what that user
 * may see (guild-events.ts, with the session's realm roles), sending it to that session only.
 * The cost of a change is one Redis message per instance and, per instance, a permission
 * computation per local session of a member (channels × overwrites): a 1000-member guild costs
 * nothing for the members who are not connected.
 *
 * A session subscribing gets READY first: the latest seq of each of its guilds, so that a client
 * that reconnected can tell whether it missed events of a guild and re-read it over REST.
 */
export class GuildDispatcher {
  private subscriber: RedisClientType | undefined;
  private broker: Broker | undefined;
  private readonly channel: string;
  private readonly heads: string;

  constructor(private readonly options: GuildDispatcherOptions) {
    this.channel = `${options.prefix}guild-events`;
    this.heads = `${options.prefix}guild-seq`;
  }

  /** Starts delivering to `broker`'s sessions (publish() works before: it needs Redis only). */
  async start(broker: Broker): Promise<void> {
    const { redis, logger } = this.options;
    this.broker = broker;
    const subscriber = redis.duplicate();
    subscriber.on('error', (error: Error) =>
      logger.warn({ err: error }, 'guild events redis error'),
    );
    await subscriber.connect();
    await subscriber.subscribe(this.channel, (raw) => this.deliver(raw));
    this.subscriber = subscriber;
    broker.on('subscribed', this.onSubscribed);
  }

  async stop(): Promise<void> {
    this.broker?.off('subscribed', this.onSubscribed);
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => undefined);
  }

  /**
   * Publishes a change to every instance. Retried with backoff (the projection waits: the next
   * event of the partition must not overtake it); after `retries` it is logged and dropped —
   * clients then see the seq jump and re-read the guild.
   */
  async publish(change: GuildChange): Promise<void> {
    const { redis, logger } = this.options;
    const retries = this.options.retries ?? 5;
    const body = JSON.stringify(change);
    for (let attempt = 0; ; attempt += 1) {
      try {
        await redis
          .multi()
          .hSet(this.heads, change.guildId, change.seq)
          .publish(this.channel, body)
          .exec();
        return;
      } catch (error) {
        if (attempt >= retries) {
          logger.error(
            { err: error, guildId: change.guildId, seq: change.seq },
            'could not publish a guild change; its clients re-read the guild after the next one',
          );
          return;
        }
        const delay = backoffDelay(attempt, { initialMs: 100, maxMs: Infinity, jitter: 'none' });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** One change from Redis to this instance's sessions, synchronously: order is kept. */
  private deliver(raw: string): void {
    let change: GuildChange;
    try {
      change = JSON.parse(raw) as GuildChange;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'ignored a malformed guild change');
      return;
    }
    const { broker } = this;
    const { logger } = this.options;
    if (!broker) return;
    for (const session of broker.sessions()) {
      if (!subscribed(session)) continue;
      const principal = session.attributes.get(PRINCIPAL) as Principal | undefined;
      if (!principal) continue;
      try {
        for (const event of eventsFor({ id: principal.id, realmRoles: principal.roles }, change)) {
          broker.sendToSession(
            session,
            GUILD_EVENTS_QUEUE,
            JSON.stringify(event),
            headers(event.type),
          );
        }
      } catch (error) {
        logger.error(
          { err: error, guildId: change.guildId, session: session.id },
          'guild event failed',
        );
      }
    }
  }

  private readonly onSubscribed = (subscription: Subscription): void => {
    if (subscription.destination !== GUILD_EVENTS_DESTINATION) return;
    const session = subscription.session;
    const principal = session.attributes.get(PRINCIPAL) as Principal | undefined;
    if (!principal) return;
    void this.ready(session, subscription.id, principal.id).catch((error: unknown) =>
      this.options.logger.warn({ err: error, session: session.id }, 'READY failed'),
    );
  };

  private async ready(session: Session, subscriptionId: string, userId: string): Promise<void> {
    const guildIds = await this.options.guildsOf(userId);
    const seqs = guildIds.length > 0 ? await this.options.redis.hmGet(this.heads, guildIds) : [];
    const body: GuildReady = {
      type: READY_EVENT,
      data: { guilds: guildIds.map((id, i) => ({ id, seq: seqs[i] ?? null })) },
    };
    this.broker?.sendToSubscription(
      session.id,
      subscriptionId,
      JSON.stringify(body),
      headers(READY_EVENT),
    );
  }
}

function subscribed(session: Session): boolean {
  for (const s of session.subscriptions.values()) {
    if (s.destination === GUILD_EVENTS_DESTINATION) return true;
  }
  return false;
}
