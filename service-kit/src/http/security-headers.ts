import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

export interface SecurityHeadersOptions {
  /**
   * Origins the pages may call besides their own (CSP `connect-src`), e.g. Keycloak's, which
   * Swagger UI's login asks for the token.
   */
  connectSources?: readonly string[];
  /** More `style-src` sources, e.g. the hashes of Swagger UI's inline styles (`docsStyleSources`). */
  styleSources?: readonly string[];
}

/**
 * helmet's headers on every response, the Content-Security-Policy made for our pages (Swagger UI
 * at `/docs`; the API's JSON is never rendered): scripts, styles, fonts and images from this
 * origin only (`data:` images for Swagger UI's icons, `styleSources` for its inline styles by hash), no inline scripts, no plugins, calls to
 * this origin and `connectSources`, never framed (`frame-ancestors 'none'`, X-Frame-Options
 * DENY), X-Content-Type-Options nosniff and Referrer-Policy no-referrer. Not upgrading requests
 * to https, since the services also serve plain http on 127.0.0.1 in development; HSTS is sent
 * and only heeded over https.
 *
 * Swagger UI's login opens Keycloak in a popup that comes back to `/docs/oauth2-redirect.html`
 * and hands the code to its opener; Cross-Origin-Opener-Policy `same-origin` would cut that
 * link, so the pages keep theirs (`unsafe-none`) and leave isolation to `frame-ancestors`.
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): Middleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", ...(options.styleSources ?? [])],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ...(options.connectSources ?? [])],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
      },
    },
    crossOriginOpenerPolicy: { policy: 'unsafe-none' },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
