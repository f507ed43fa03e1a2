import Router from '@koa/router';
import Koa from 'koa';
import { NotFoundError } from '../errors';
import type { Logger } from '../logging';
import { docsStyleSources, registerDocs, type DocsOptions } from './docs';
import { errorMiddleware } from './errors';
import { registerHealth, type HealthCheck } from './health';
import { jsonBody } from './json-body';
import { DEFAULT_MAX_JSON_DEPTH } from './json-depth';
import { nulGuard } from './nul-guard';
import { requestIdMiddleware } from './request-id';
import { securityHeaders } from './security-headers';

export interface ServiceAppOptions<S> {
  logger: Logger;
  /** Put on every request's state (`ctx.state.services`) for tsoa's controller factory. */
  services: S;
  healthChecks: Record<string, HealthCheck>;
  isShuttingDown: () => boolean;
  docs: DocsOptions;
  /** tsoa's generated `RegisterRoutes`. */
  registerRoutes: (router: Router) => void;
  /** Deepest nesting of JSON bodies (400 `json_too_deep` past it); default 64. */
  maxJsonDepth?: number;
}

/**
 * A service's Koa app, not listening: security headers → request id → problem+json errors → the
 * services on the request → JSON body (size and depth bounded) → NUL guard → health, docs and the
 * API routes → 404 for anything else.
 */
export function createServiceApp<S>(
  options: ServiceAppOptions<S>,
): Koa<{ services: S; requestId: string }> {
  const app = new Koa<{ services: S; requestId: string }>();
  app.proxy = false;
  // first, so that every answer carries them, problems and 404s included
  app.use(
    securityHeaders({
      // Swagger UI's login fetches the token from Keycloak
      connectSources: [new URL(options.docs.publicIssuer).origin],
      styleSources: docsStyleSources,
    }),
  );
  app.use(requestIdMiddleware(options.logger));
  app.use(errorMiddleware(options.logger));
  app.use(async (ctx, next) => {
    ctx.state.services = options.services;
    await next();
  });
  app.use(jsonBody({ maxDepth: options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH }));
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
