import {
  Body,
  Controller,
  Delete,
  Get,
  Middlewares,
  Patch,
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
import type { Snowflake, UserId, UserIdOrMe } from '../common/types';
import type { Member, MemberPage, UpdateMemberBody } from './member.types';

const me = (req: KoaRequest, userId: string) => (userId === '@me' ? principalOf(req).id : userId);

@Route('guilds/{guildId}/members')
@Tags('Members')
@Security('keycloak')
@Middlewares(writeRateLimit)
export class MemberController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /**
   * The guild's members by user id.
   * @param after only members with a user id greater than this (the previous page's `next`)
   * @param limit page size, 1–100 (default 50)
   * @isInt limit
   * @minimum limit 1
   * @maximum limit 100
   */
  @Get()
  async listMembers(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Query() after?: UserId,
    @Query() limit = 50,
  ): Promise<MemberPage> {
    return this.services.members.list(principalOf(req), guildId, after, limit);
  }

  /** Leaves the guild. The owner must transfer ownership first (409 `owner_cannot_leave`). */
  @Delete('@me')
  @SuccessResponse(204, 'Left')
  async leaveGuild(@Request() req: KoaRequest, @Path() guildId: Snowflake): Promise<void> {
    await this.services.members.leave(principalOf(req), guildId);
  }

  /** A member (`@me` for the caller). */
  @Get('{userId}')
  async getMember(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() userId: UserIdOrMe,
  ): Promise<Member> {
    return this.services.members.get(principalOf(req), guildId, me(req, userId));
  }

  /**
   * Changes a member's nickname (one's own freely; another's with MANAGE_GUILD and a higher role)
   * or replaces their roles (MANAGE_ROLES, only roles below one's highest, only members below one).
   */
  @Patch('{userId}')
  async updateMember(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() userId: UserIdOrMe,
    @Body() body: UpdateMemberBody,
  ): Promise<Member> {
    return this.services.members.update(principalOf(req), guildId, me(req, userId), body);
  }

  /**
   * Kicks a member (KICK_MEMBERS and a higher role; realm moderators may kick anyone but the
   * owner). `@me` leaves instead.
   */
  @Delete('{userId}')
  @SuccessResponse(204, 'Kicked')
  async kickMember(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() userId: UserIdOrMe,
  ): Promise<void> {
    if (userId === '@me') return this.services.members.leave(principalOf(req), guildId);
    await this.services.members.kick(principalOf(req), guildId, userId);
  }

  /** Gives a member a role (MANAGE_ROLES, the role below one's highest, the member below one unless oneself). */
  @Put('{userId}/roles/{roleId}')
  @SuccessResponse(204, 'Granted')
  async addMemberRole(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() userId: UserIdOrMe,
    @Path() roleId: Snowflake,
  ): Promise<void> {
    await this.services.members.addRole(principalOf(req), guildId, me(req, userId), roleId);
  }

  /** Takes a role away from a member (same rights as giving it). */
  @Delete('{userId}/roles/{roleId}')
  @SuccessResponse(204, 'Removed')
  async removeMemberRole(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() userId: UserIdOrMe,
    @Path() roleId: Snowflake,
  ): Promise<void> {
    await this.services.members.removeRole(principalOf(req), guildId, me(req, userId), roleId);
  }
}
