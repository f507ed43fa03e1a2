import Router from '@koa/router';
import Koa from 'koa';
import { NotFoundError } from '../errors';
import type { Logger } from '../logging';
import { registerDocs, type DocsOptions } from './docs';
import { errorMiddleware } from './errors';
import { registerHealth, type HealthCheck } from './health';
import { jsonBody } from './json-body';
import { nulGuard } from './nul-guard';
import { requestIdMiddleware } from './request-id';

export interface ServiceAppOptions<S> {
  logger: Logger;
  /** Put on every request's state (`ctx.state.services`) for tsoa's controller factory. */
  services: S;
  healthChecks: Record<string, HealthCheck>;
  isShuttingDown: () => boolean;
  docs: DocsOptions;
  /** tsoa's generated `RegisterRoutes`. */
  registerRoutes: (router: Router) => void;
}

/**
 * A service's Koa app, not listening: request id → problem+json errors → the services on the
 * request → JSON body → NUL guard → health, docs and the API routes → 404 for anything else.
 */
export function createServiceApp<S>(
  options: ServiceAppOptions<S>,
): Koa<{ services: S; requestId: string }> {
  const app = new Koa<{ services: S; requestId: string }>();
  app.proxy = false;
  app.use(requestIdMiddleware(options.logger));
  app.use(errorMiddleware(options.logger));
  app.use(async (ctx, next) => {
    ctx.state.services = options.services;
    await next();
  });
  app.use(jsonBody());
  app.use(nulGuard);
  const router = new Router();
  registerHealth(router, options.healthChecks, options.isShuttingDown);
  registerDocs(router, options.docs);
  options.registerRoutes(router);
  app.use(router.routes());
  app.use(() => {
    throw new NotFoundError('Route', 'route_not_found');
  });
  return app;
}
