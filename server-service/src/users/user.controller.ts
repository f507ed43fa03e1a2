import { Controller, Get, Query, Request, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import type { ProblemDocument } from '../common/problem.types';
import type { Snowflake } from '../common/types';
import type { GuildPage } from '../guilds/guild.types';
import { principalOf, type Services } from '../http/services';

/** The caller as Keycloak knows them. */
export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  /** Realm roles of the token (`user`, `moderator`, `admin`, and Keycloak's own). */
  roles: string[];
}

@Route('users')
@Tags('Users')
@Security('keycloak')
@Response<ProblemDocument>(400, 'Invalid query parameters', undefined, 'application/problem+json')
@Response<ProblemDocument>(
  403,
  'The token lacks the realm role "user"',
  undefined,
  'application/problem+json',
)
export class UserController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /** The caller. */
  @Get('@me')
  async getCurrentUser(@Request() req: KoaRequest): Promise<CurrentUser> {
    const p = principalOf(req);
    return { id: p.id, username: p.username, displayName: p.displayName, roles: p.roles };
  }

  /**
   * Guilds the caller is a member of, by id (realm admins included: their own memberships only).
   * @param after only guilds with an id greater than this (the previous page's `next`)
   * @param limit page size, 1–100 (default 50)
   * @isInt limit
   * @minimum limit 1
   * @maximum limit 100
   */
  @Get('@me/guilds')
  async listMyGuilds(
    @Request() req: KoaRequest,
    @Query() after?: Snowflake,
    @Query() limit = 50,
  ): Promise<GuildPage> {
    return this.services.guilds.listMine(principalOf(req), after, limit);
  }
}
