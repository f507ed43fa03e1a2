import {
  Body,
  Controller,
  Delete,
  Get,
  Middlewares,
  Path,
  Put,
  Query,
  Request,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import type { ProblemDocument } from '../common/problem.types';
import { writeRateLimit } from '../http/rate-limit.middleware';
import { principalOf, type Services } from '../http/services';
import type { Snowflake, UserId } from '../common/types';
import type { Ban, BanPage, PutBanBody } from './ban.types';

@Route('guilds/{guildId}/bans')
@Tags('Bans')
@Security('keycloak')
@Middlewares(writeRateLimit)
@Response<ProblemDocument>(
  400,
  'Malformed JSON or invalid fields',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  401,
  'Missing, expired or invalid access token',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(403, 'Not allowed', undefined, 'application/problem+json')
@Response<ProblemDocument>(
  404,
  'Not found, or not visible to the caller',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  409,
  'Conflicts with the current state',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  422,
  'Breaks a rule of the domain',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  429,
  'Too many writes; see Retry-After',
  undefined,
  'application/problem+json',
)
@Response<ProblemDocument>(
  503,
  'Keycloak or a database cannot be reached',
  undefined,
  'application/problem+json',
)
export class BanController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /**
   * The guild's bans by user id (BAN_MEMBERS).
   * @param after only bans with a user id greater than this (the previous page's `next`)
   * @param limit page size, 1–100 (default 50)
   * @isInt limit
   * @minimum limit 1
   * @maximum limit 100
   */
  @Get()
  async listBans(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Query() after?: UserId,
    @Query() limit = 50,
  ): Promise<BanPage> {
    return this.services.bans.list(principalOf(req), guildId, after, limit);
  }

  /** One ban (BAN_MEMBERS). */
  @Get('{userId}')
  async getBan(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() userId: UserId,
  ): Promise<Ban> {
    return this.services.bans.get(principalOf(req), guildId, userId);
  }

  /**
   * Bans a user, removing them from the guild (BAN_MEMBERS and a higher role; realm moderators
   * may ban anyone but the owner). Banning again updates the reason.
   */
  @Put('{userId}')
  async putBan(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() userId: UserId,
    @Body() body: PutBanBody,
  ): Promise<Ban> {
    return this.services.bans.put(principalOf(req), guildId, userId, body);
  }

  /** Lifts a ban (BAN_MEMBERS). */
  @Delete('{userId}')
  @SuccessResponse(204, 'Unbanned')
  async deleteBan(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() userId: UserId,
  ): Promise<void> {
    await this.services.bans.delete(principalOf(req), guildId, userId);
  }
}
