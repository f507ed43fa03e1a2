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
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { writeRateLimit } from '../http/rate-limit.middleware';
import { principalOf, type Services } from '../http/services';
import type { Snowflake, UserId } from '../common/types';
import type { Ban, BanPage, PutBanBody } from './ban.types';

@Route('guilds/{guildId}/bans')
@Tags('Bans')
@Security('keycloak')
@Middlewares(writeRateLimit)
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
