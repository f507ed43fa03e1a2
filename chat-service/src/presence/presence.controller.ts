import { NotFoundError } from '@echopulse/service-kit';
import { Controller, Get, Path, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import type { Snowflake } from '../http/common-responses';
import type { ProblemDocument } from '../http/problem.types';
import { principalOf, type Services } from '../http/services';

/** A member's presence: online (a session active), idle (all sessions idle) or offline. */
export interface PresenceView {
  userId: string;
  username: string;
  status: 'online' | 'idle' | 'offline';
}

@Route('guilds')
@Tags('Presence')
@Security('keycloak')
@Response<ProblemDocument>(400, 'Invalid path', undefined, 'application/problem+json')
@Response<ProblemDocument>(
  403,
  'The token lacks the realm role "user"',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  404,
  'No such guild, or the caller is no member',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  503,
  'Keycloak, Redis or a database cannot be reached',
  undefined,
  'application/problem+json',
)
export class PresenceController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /** Every member of the guild with their presence; live changes go to `/topic/guilds/{guildId}`. */
  @Get('{guildId}/presence')
  async listPresence(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
  ): Promise<PresenceView[]> {
    if (!(await this.services.access.canViewGuild(principalOf(req), guildId))) {
      throw new NotFoundError('Guild', 'unknown_guild');
    }
    return this.services.presence.ofGuild(guildId);
  }
}
