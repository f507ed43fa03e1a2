import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Router from '@koa/router';

/** swagger-ui-dist's folder: its static files are served as they are. */
const swaggerUiDir = join(require.resolve('swagger-ui-dist/package.json'), '..');
const staticFiles: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'oauth2-redirect.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * The inline `<style>` elements Swagger UI renders (in the SVG logo of the standalone preset's
 * top bar), allowed in the Content-Security-Policy by their hashes rather than by
 * `'unsafe-inline'`. The Chromium test of the login fails on any CSP violation, so an upgrade of
 * swagger-ui-dist that changes them shows up there.
 */
const inlineStyles = ['.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}'];

/** CSP `style-src` sources Swagger UI needs besides `'self'`. */
export const docsStyleSources: readonly string[] = inlineStyles.map(
  (style) => `'sha256-${createHash('sha256').update(style).digest('base64')}'`,
);

export interface DocsOptions {
  /** The spec tsoa generated at build time (checked in, checked fresh by the service's tests). */
  specPath: string;
  /** The page's title, e.g. "EchoPulse server-service API". */
  title: string;
  /** The realm's issuer as the browser reaches it, for the login and token URLs. */
  publicIssuer: string;
  /** The public client Swagger UI logs in with. */
  clientId: string;
}

/**
 * The spec with the Keycloak URLs of this deployment (the checked-in file carries the dev ones).
 */
export function specFor(spec: Record<string, unknown>, options: DocsOptions): unknown {
  const copy = structuredClone(spec) as {
    components?: {
      securitySchemes?: Record<string, { flows?: Record<string, Record<string, string>> }>;
    };
  };
  const flow = copy.components?.securitySchemes?.keycloak?.flows?.authorizationCode;
  if (flow) {
    flow.authorizationUrl = `${options.publicIssuer}/protocol/openid-connect/auth`;
    flow.tokenUrl = `${options.publicIssuer}/protocol/openid-connect/token`;
  }
  return copy;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const indexHtml = (title: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="swagger-ui.css" />
    <link rel="stylesheet" href="index.css" />
    <link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="swagger-ui-bundle.js"></script>
    <script src="swagger-ui-standalone-preset.js"></script>
    <script src="swagger-initializer.js"></script>
  </body>
</html>
`;

/**
 * Swagger UI's start-up: the spec from /openapi.json and Keycloak login by authorization code with
 * PKCE, redirecting back to /docs/oauth2-redirect.html on whatever host the page was opened from.
 */
const initializer = (clientId: string) => `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect.html',
  });
  window.ui.initOAuth({
    clientId: ${JSON.stringify(clientId)},
    scopes: 'openid',
    usePkceWithAuthorizationCodeGrant: true,
  });
};
`;

/** `/openapi.json` and Swagger UI at `/docs`. */
export function registerDocs(router: Router, options: DocsOptions): void {
  let spec: unknown;
  const loadSpec = () => {
    spec ??= specFor(JSON.parse(readFileSync(options.specPath, 'utf8')), options);
    return spec;
  };
  router.get('/openapi.json', (ctx) => {
    ctx.body = loadSpec();
  });
  // the router is not strict about trailing slashes: one route serves /docs and /docs/
  router.get('/docs', (ctx) => {
    if (!ctx.path.endsWith('/')) return ctx.redirect('/docs/');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = indexHtml(options.title);
  });
  router.get('/docs/swagger-initializer.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = initializer(options.clientId);
  });
  router.get('/docs/:file', async (ctx, next) => {
    const file = ctx.params.file ?? '';
    const type = staticFiles[file];
    if (!type) return next();
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = await readFile(join(swaggerUiDir, file));
  });
}
