import {
  Body,
  Controller,
  Delete,
  Get,
  Middlewares,
  Path,
  Post,
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
import type { Member } from '../members/member.types';
import type { CreateInviteBody, Invite, InvitePreview } from './invite.types';

/**
 * An invite code.
 * @pattern ^[A-Za-z0-9]{8,16}$
 */
type InviteCode = string;

@Route('')
@Tags('Invites')
@Security('keycloak')
@Middlewares(writeRateLimit)
export class InviteController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /** The guild's invites, revoked and expired ones included (MANAGE_GUILD). */
  @Get('guilds/{guildId}/invites')
  async listInvites(@Request() req: KoaRequest, @Path() guildId: Snowflake): Promise<Invite[]> {
    return this.services.invites.list(principalOf(req), guildId);
  }

  /** Creates an invite (CREATE_INSTANT_INVITE). Defaults: unlimited uses, expires in one day. */
  @Post('guilds/{guildId}/invites')
  @SuccessResponse(201, 'Created')
  async createInvite(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Body() body: CreateInviteBody,
  ): Promise<Invite> {
    this.setStatus(201);
    return this.services.invites.create(principalOf(req), guildId, body);
  }

  /**
   * What an invite leads to (any signed-in user holding the code), with the caller's standing
   * there (`viewer`: banned, or already a member). Unknown, revoked, expired and used-up invites
   * are all 404.
   */
  @Get('invites/{code}')
  async previewInvite(
    @Request() req: KoaRequest,
    @Path() code: InviteCode,
  ): Promise<InvitePreview> {
    return this.services.invites.preview(principalOf(req), code);
  }

  /**
   * Joins the invite's guild. 403 `banned` for banned users, 409 `already_member` for members,
   * 404 when the invite is unknown, revoked, expired or used up.
   */
  @Post('invites/{code}')
  @SuccessResponse(201, 'Joined')
  async acceptInvite(@Request() req: KoaRequest, @Path() code: InviteCode): Promise<Member> {
    this.setStatus(201);
    return this.services.invites.accept(principalOf(req), code);
  }

  /** Revokes an invite (its creator, or MANAGE_GUILD). */
  @Delete('invites/{code}')
  @SuccessResponse(204, 'Revoked')
  async revokeInvite(@Request() req: KoaRequest, @Path() code: InviteCode): Promise<void> {
    await this.services.invites.revoke(principalOf(req), code);
  }
}
