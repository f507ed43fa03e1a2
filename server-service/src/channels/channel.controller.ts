import {
  Body,
  Controller,
  Delete,
  Get,
  Middlewares,
  Patch,
  Path,
  Post,
  Put,
  Request,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { writeRateLimit } from '../http/rate-limit.middleware';
import { principalOf, type Services } from '../http/services';
import type { Snowflake } from '../common/types';
import type {
  Channel,
  CreateChannelBody,
  EffectivePermissions,
  PutOverwriteBody,
  UpdateChannelBody,
} from './channel.types';

/**
 * An overwrite target: a role id or a user id.
 * @pattern ^[A-Za-z0-9_-]{1,64}$
 */
type OverwriteTarget = string;

@Route('')
@Tags('Channels')
@Security('keycloak')
@Middlewares(writeRateLimit)
export class ChannelController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /** The guild's channels the caller can see (VIEW_CHANNEL), by position. */
  @Get('guilds/{guildId}/channels')
  async listChannels(@Request() req: KoaRequest, @Path() guildId: Snowflake): Promise<Channel[]> {
    return this.services.channels.list(principalOf(req), guildId);
  }

  /** Creates a text channel or a category at the end of the list (MANAGE_CHANNELS). */
  @Post('guilds/{guildId}/channels')
  @SuccessResponse(201, 'Created')
  async createChannel(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Body() body: CreateChannelBody,
  ): Promise<Channel> {
    this.setStatus(201);
    return this.services.channels.create(principalOf(req), guildId, body);
  }

  /** A channel the caller can see. */
  @Get('channels/{channelId}')
  async getChannel(@Request() req: KoaRequest, @Path() channelId: Snowflake): Promise<Channel> {
    return this.services.channels.get(principalOf(req), channelId);
  }

  /** Changes name, topic, slowmode, parent category or position (MANAGE_CHANNELS). */
  @Patch('channels/{channelId}')
  async updateChannel(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Body() body: UpdateChannelBody,
  ): Promise<Channel> {
    return this.services.channels.update(principalOf(req), channelId, body);
  }

  /** Deletes the channel (MANAGE_CHANNELS); a deleted category's channels move to the top level. */
  @Delete('channels/{channelId}')
  @SuccessResponse(204, 'Deleted')
  async deleteChannel(@Request() req: KoaRequest, @Path() channelId: Snowflake): Promise<void> {
    await this.services.channels.delete(principalOf(req), channelId);
  }

  /** The caller's effective permissions in the channel, computed by Discord's algorithm. */
  @Get('channels/{channelId}/permissions/@me')
  async getMyChannelPermissions(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
  ): Promise<EffectivePermissions> {
    return this.services.channels.myPermissions(principalOf(req), channelId);
  }

  /**
   * Sets the permission overwrite of a role or a member on the channel (MANAGE_ROLES; one can only
   * allow or deny permissions one has, unless ADMINISTRATOR).
   * @param overwriteId the role id or user id the overwrite is for
   */
  @Put('channels/{channelId}/permissions/{overwriteId}')
  async putChannelOverwrite(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() overwriteId: OverwriteTarget,
    @Body() body: PutOverwriteBody,
  ): Promise<Channel> {
    return this.services.channels.putOverwrite(principalOf(req), channelId, overwriteId, body);
  }

  /** Removes a permission overwrite (MANAGE_ROLES). */
  @Delete('channels/{channelId}/permissions/{overwriteId}')
  @SuccessResponse(204, 'Deleted')
  async deleteChannelOverwrite(
    @Request() req: KoaRequest,
    @Path() channelId: Snowflake,
    @Path() overwriteId: OverwriteTarget,
  ): Promise<void> {
    await this.services.channels.deleteOverwrite(principalOf(req), channelId, overwriteId);
  }
}
