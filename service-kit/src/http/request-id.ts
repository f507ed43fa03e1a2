import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging';
import type { Middleware } from 'koa';

/** A caller's X-Request-Id is kept when it looks sane; otherwise one is made. */
const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (X-Request-Id in and out), a child logger carrying it, and one log
 * line when the response is done.
 */
export function requestIdMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = acceptable.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info(
        { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    }
  };
}
