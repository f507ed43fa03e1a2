import {
  Body,
  Controller,
  Delete,
  Get,
  Middlewares,
  Patch,
  Path,
  Post,
  Query,
  Request,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import type { Snowflake } from '../common/types';
import { writeRateLimit } from '../http/rate-limit.middleware';
import { principalOf, type Services } from '../http/services';
import type { CreateGuildBody, Guild, GuildPage, UpdateGuildBody } from './guild.types';

@Route('guilds')
@Tags('Guilds')
@Security('keycloak')
@Middlewares(writeRateLimit)
export class GuildController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /**
   * Creates a guild owned by the caller, with its @everyone role, a "Text Channels" category
   * holding a "general" text channel, and the caller as its first member.
   */
  @Post()
  @SuccessResponse(201, 'Created')
  async createGuild(@Request() req: KoaRequest, @Body() body: CreateGuildBody): Promise<Guild> {
    this.setStatus(201);
    return this.services.guilds.create(principalOf(req), body);
  }

  /**
   * Guilds the caller is a member of, by id. For realm admins: every guild.
   * @param after only guilds with an id greater than this (the previous page's `next`)
   * @param limit page size, 1–100 (default 50)
   * @isInt limit
   * @minimum limit 1
   * @maximum limit 100
   */
  @Get()
  async listGuilds(
    @Request() req: KoaRequest,
    @Query() after?: Snowflake,
    @Query() limit = 50,
  ): Promise<GuildPage> {
    return this.services.guilds.list(principalOf(req), after, limit);
  }

  /** A guild the caller is a member of (realm admins and moderators: any guild). */
  @Get('{guildId}')
  async getGuild(@Request() req: KoaRequest, @Path() guildId: Snowflake): Promise<Guild> {
    return this.services.guilds.get(principalOf(req), guildId);
  }

  /**
   * Renames the guild or changes its icon (MANAGE_GUILD), or transfers ownership to another
   * member (`ownerId`; the owner or a realm admin only).
   */
  @Patch('{guildId}')
  async updateGuild(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Body() body: UpdateGuildBody,
  ): Promise<Guild> {
    return this.services.guilds.update(principalOf(req), guildId, body);
  }

  /** Deletes the guild with all its channels, roles, members, invites and bans (owner or realm admin). */
  @Delete('{guildId}')
  @SuccessResponse(204, 'Deleted')
  async deleteGuild(@Request() req: KoaRequest, @Path() guildId: Snowflake): Promise<void> {
    await this.services.guilds.delete(principalOf(req), guildId);
  }
}
