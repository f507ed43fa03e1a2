import {
  HEADERS,
  PRESENCE_EVENT,
  type PresenceEvent,
  type PresenceStatus,
} from '@echopulse/chat-contracts';
import type { Logger, Principal } from '@echopulse/service-kit';
import type { Broker, Session } from '@echopulse/stomp-broker';
import type { ChannelAccess } from '../access/channel-access';
import { PRINCIPAL } from '../gateway/authenticate';
import type { PresenceStore } from './presence.store';

const STATUS = 'presence.status';

/** The topic a guild's presence changes go out on. */
export const guildTopic = (guildId: string) => `/topic/guilds/${guildId}`;

/**
 * Presence from STOMP sessions: online on CONNECT, `idle`/`online` by `SEND /app/presence`,
 * gone at disconnect. A user's status is the most present of their sessions on any instance;
 * only changes of it are broadcast, to every guild they are in (through the relay).
 */
export class PresenceService {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly store: PresenceStore,
    private readonly access: ChannelAccess & {
      membersOf(guildId: string): Promise<{ userId: string; username: string }[]>;
    },
    private readonly logger: Logger,
    private readonly heartbeatMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.refresh(), this.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async set(
    session: Session,
    status: Exclude<PresenceStatus, 'offline'> | undefined,
  ): Promise<void> {
    const principal = session.attributes.get(PRINCIPAL) as Principal | undefined;
    if (!principal) return;
    if (status) session.attributes.set(STATUS, status);
    const { before, after } = await this.store.set(principal.id, session.id, status);
    if (before !== after) await this.broadcast(principal.id, after);
  }

  async ofGuild(
    guildId: string,
  ): Promise<{ userId: string; username: string; status: PresenceStatus }[]> {
    const members = await this.access.membersOf(guildId);
    const statuses = await this.store.statuses(members.map((m) => m.userId));
    return members.map((m, i) => ({ ...m, status: statuses[i] ?? 'offline' }));
  }

  private async broadcast(userId: string, status: PresenceStatus): Promise<void> {
    const body = JSON.stringify({ userId, status } satisfies PresenceEvent);
    for (const guildId of await this.access.guildsOf(userId)) {
      this.broker.publish(guildTopic(guildId), body, [
        ['content-type', 'application/json'],
        [HEADERS.event, PRESENCE_EVENT],
      ]);
    }
  }

  /** Keeps this instance's sessions' entries from expiring. */
  private async refresh(): Promise<void> {
    for (const session of this.broker.sessions()) {
      const status = session.attributes.get(STATUS) as 'online' | 'idle' | undefined;
      if (!status) continue;
      await this.set(session, status).catch((error: unknown) =>
        this.logger.warn({ err: error }, 'presence refresh failed'),
      );
    }
  }
}
