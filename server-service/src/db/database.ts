import type { ServerEvent } from '@echopulse/guild-contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { BanRepository } from '../bans/ban.repository';
import { ChannelRepository } from '../channels/channel.repository';
import { GuildRepository } from '../guilds/guild.repository';
import { InviteRepository } from '../invites/invite.repository';
import { MemberRepository } from '../members/member.repository';
import { RoleRepository } from '../roles/role.repository';
import { UserRepository } from '../users/user.repository';

/** Writes an event into the outbox with the caller's transaction (the outbox's OutboxWriter). */
export type AppendEvent = (manager: EntityManager, event: ServerEvent) => Promise<void>;

/** The repositories of one unit of work, all bound to the same transaction (or to none for reads). */
export interface Repositories {
  users: UserRepository;
  guilds: GuildRepository;
  roles: RoleRepository;
  members: MemberRepository;
  channels: ChannelRepository;
  invites: InviteRepository;
  bans: BanRepository;
  /** Records events to publish once the transaction commits (the transactional outbox). */
  events: { append(...events: ServerEvent[]): Promise<void> };
}

/**
 * Units of work over Postgres: services ask for repositories bound to one transaction, so a change
 * and its events commit together or not at all, and services never see TypeORM.
 */
export class Database {
  constructor(
    private readonly source: DataSource,
    private readonly appendEvent: AppendEvent,
  ) {}

  private bind(manager: EntityManager, writable: boolean): Repositories {
    return {
      users: new UserRepository(manager),
      guilds: new GuildRepository(manager),
      roles: new RoleRepository(manager),
      members: new MemberRepository(manager),
      channels: new ChannelRepository(manager),
      invites: new InviteRepository(manager),
      bans: new BanRepository(manager),
      events: {
        append: async (...events) => {
          if (!writable) throw new Error('events are written inside a transaction only');
          for (const event of events) await this.appendEvent(manager, event);
        },
      },
    };
  }

  /** Runs `work` in one READ COMMITTED transaction; rolls everything back if it throws. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.source.transaction('READ COMMITTED', (manager) => work(this.bind(manager, true)));
  }

  /** Runs reads outside a transaction. */
  read<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return work(this.bind(this.source.manager, false));
  }

  /** For readiness: a round trip to Postgres. */
  async ping(): Promise<void> {
    await this.source.query('SELECT 1');
  }
}
