import type { Principal } from '@echopulse/service-kit';
import type { Middleware } from 'koa';
import type { RequestState } from './services';

const reads = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Per-user limit on writes (POST, PUT, PATCH, DELETE), applied to every controller after
 * authentication: 429 problem+json with Retry-After past the limit.
 */
export const writeRateLimit: Middleware = async (ctx, next) => {
  if (!reads.has(ctx.method)) {
    const user = (ctx.request as { user?: Principal }).user;
    if (user) await (ctx.state as RequestState).services.rateLimits.consumeWrite(user.id);
  }
  await next();
};
