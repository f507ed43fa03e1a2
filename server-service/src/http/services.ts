import type { JwtVerifier } from '@echopulse/service-kit';
export { principalOf } from '@echopulse/service-kit/http';
import type { Request as KoaRequest } from 'koa';
import type { BanService } from '../bans/ban.service';
import type { ChannelService } from '../channels/channel.service';
import type { GuildService } from '../guilds/guild.service';
import type { InviteService } from '../invites/invite.service';
import type { MemberService } from '../members/member.service';
import type { RateLimitService } from '../rate-limits/rate-limit.service';
import type { RoleService } from '../roles/role.service';
import type { UserService } from '../users/user.service';

/** Everything the HTTP layer calls; one set per app, reachable from each request's state. */
export interface Services {
  verifier: JwtVerifier;
  users: UserService;
  guilds: GuildService;
  channels: ChannelService;
  members: MemberService;
  roles: RoleService;
  invites: InviteService;
  bans: BanService;
  rateLimits: RateLimitService;
}

/** The state each request carries (Koa's ctx.state). */
export interface RequestState {
  services: Services;
  requestId: string;
}

export function servicesOf(request: KoaRequest): Services {
  return (request.ctx.state as RequestState).services;
}
