import {
  Body,
  Controller,
  Delete,
  Get,
  Middlewares,
  Patch,
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
import type { CreateRoleBody, Role, UpdateRoleBody } from './role.types';

@Route('guilds/{guildId}/roles')
@Tags('Roles')
@Security('keycloak')
@Middlewares(writeRateLimit)
export class RoleController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /** The guild's roles, lowest first (@everyone, position 0, has the guild's id). */
  @Get()
  async listRoles(@Request() req: KoaRequest, @Path() guildId: Snowflake): Promise<Role[]> {
    return this.services.roles.list(principalOf(req), guildId);
  }

  /** Creates a role just above @everyone (MANAGE_ROLES; only permissions the caller has). */
  @Post()
  @SuccessResponse(201, 'Created')
  async createRole(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Body() body: CreateRoleBody,
  ): Promise<Role> {
    this.setStatus(201);
    return this.services.roles.create(principalOf(req), guildId, body);
  }

  /**
   * Edits a role: name, colour, permissions, mentionable, position (MANAGE_ROLES and a highest
   * role strictly above it; @everyone keeps its name and position).
   */
  @Patch('{roleId}')
  async updateRole(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() roleId: Snowflake,
    @Body() body: UpdateRoleBody,
  ): Promise<Role> {
    return this.services.roles.update(principalOf(req), guildId, roleId, body);
  }

  /** Deletes a role (as for editing it; never @everyone). */
  @Delete('{roleId}')
  @SuccessResponse(204, 'Deleted')
  async deleteRole(
    @Request() req: KoaRequest,
    @Path() guildId: Snowflake,
    @Path() roleId: Snowflake,
  ): Promise<void> {
    await this.services.roles.delete(principalOf(req), guildId, roleId);
  }
}
