import 'reflect-metadata';
import { type JwtVerifier, type Logger, type SnowflakeGenerator } from '@echopulse/service-kit';
import { createServiceApp, type HealthCheck } from '@echopulse/service-kit/http';
import { join } from 'node:path';
import type Koa from 'koa';
import { BanService } from './bans/ban.service';
import { ChannelService } from './channels/channel.service';
import type { Config } from './config';
import type { Database } from './db/database';
import { RegisterRoutes } from './generated/routes';
import { GuildService } from './guilds/guild.service';
import type { RequestState, Services } from './http/services';
import { InviteService } from './invites/invite.service';
import { MemberService } from './members/member.service';
import { RateLimitRepository, type RedisClient } from './rate-limits/rate-limit.repository';
import { RateLimitService } from './rate-limits/rate-limit.service';
import { RoleService } from './roles/role.service';
import { UserService } from './users/user.service';

/** The spec tsoa generates at build time (checked in, checked fresh by the tests). */
export const specPath = join(__dirname, '../../openapi/server-service.json');

export interface AppDependencies {
  config: Pick<
    Config,
    | 'RATE_LIMIT_WRITES'
    | 'RATE_LIMIT_WINDOW_SECONDS'
    | 'REDIS_KEY_PREFIX'
    | 'KEYCLOAK_ISSUER'
    | 'KEYCLOAK_PUBLIC_ISSUER'
    | 'KEYCLOAK_DOCS_CLIENT_ID'
  >;
  logger: Logger;
  db: Database;
  redis: RedisClient;
  verifier: JwtVerifier;
  ids: SnowflakeGenerator;
  /** Readiness of dependencies beyond Postgres and Redis (e.g. Kafka through the outbox relay). */
  extraHealthChecks?: Record<string, HealthCheck>;
  /** True once shutdown has begun: /health/ready answers 503 so load balancers stop sending. */
  isShuttingDown?: () => boolean;
}

/** Builds the services of one app from its dependencies. */
export function createServices(deps: AppDependencies): Services {
  const serviceDeps = { db: deps.db, ids: deps.ids };
  return {
    verifier: deps.verifier,
    users: new UserService(deps.db),
    guilds: new GuildService(serviceDeps),
    channels: new ChannelService(serviceDeps),
    members: new MemberService(serviceDeps),
    roles: new RoleService(serviceDeps),
    invites: new InviteService(serviceDeps),
    bans: new BanService(serviceDeps),
    rateLimits: new RateLimitService(
      new RateLimitRepository(deps.redis, deps.config.REDIS_KEY_PREFIX),
      {
        limit: deps.config.RATE_LIMIT_WRITES,
        windowSeconds: deps.config.RATE_LIMIT_WINDOW_SECONDS,
      },
    ),
  };
}

/**
 * The Koa app, not listening: request id → problem+json errors → JSON body → routes (health,
 * docs, the tsoa-generated `/api` routes, which authenticate, rate-limit, validate and call a
 * controller) → 404 for anything else.
 */
export function createApp(deps: AppDependencies): Koa<RequestState> {
  return createServiceApp({
    logger: deps.logger,
    services: createServices(deps),
    healthChecks: {
      postgres: async () => (await deps.db.ping(), { ok: true }),
      redis: async () => ({ ok: (await deps.redis.ping()) === 'PONG' }),
      ...deps.extraHealthChecks,
    },
    isShuttingDown: deps.isShuttingDown ?? (() => false),
    docs: {
      specPath,
      title: 'EchoPulse server-service API',
      publicIssuer: deps.config.KEYCLOAK_PUBLIC_ISSUER ?? deps.config.KEYCLOAK_ISSUER,
      clientId: deps.config.KEYCLOAK_DOCS_CLIENT_ID,
    },
    registerRoutes: RegisterRoutes,
  });
}
