// The production web server of `npm start`: the built app (web-vue/dist) with long-lived caching
// of its hashed assets, compression, security headers, and both services behind the app's own
// origin, mapped the way vite.config.mts maps them for `npm run dev` (and nginx.conf in compose).
import { send } from '@koa/send';
import { createProxyServer } from 'http-proxy-3';
import Koa from 'koa';
import compress from 'koa-compress';
import helmet from 'koa-helmet';
import { once } from 'node:events';
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebServerConfig } from './config';

/** Vite names every file under assets/ by its content hash: a new build means a new name. */
const immutableCache = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) is revalidated on every visit. */
const revalidate = 'no-cache';

interface Upstream {
  /** What the browser asks for: `/api/server/guilds` … */
  prefix: string;
  /** … and what the service is asked for: `/api/guilds`. */
  rewriteTo: string;
  name: string;
  target: string;
}

/**
 * The Content-Security-Policy the app works under: its own scripts and styles only (Vite emits no
 * inline script or style), XHR/fetch and the WebSocket to its own origin ('self' covers ws: of the
 * same host) plus Keycloak's token and userinfo endpoints. Images may come from any http(s) URL
 * because a guild's icon is a URL its owner chose. No `upgrade-insecure-requests`: it would turn
 * http://127.0.0.1:8180 (Keycloak on this machine) into https and break the login.
 */
export function contentSecurityPolicy(keycloakOrigin: string): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'http:', 'https:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'", keycloakOrigin],
    // oidc-client-ts renews with the refresh token; without one it would use an iframe on Keycloak
    frameSrc: [keycloakOrigin],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    frameAncestors: ["'none'"],
  };
}

/** A problem+json answer (RFC 9457) written straight to the response. */
function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/problem+json');
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

export interface WebServer {
  /** http://host:port, with the port actually bound. */
  url: string;
  config: WebServerConfig;
  server: Server;
  /** Stops listening, ends open connections and WebSockets, resolves when closed. */
  close(): Promise<void>;
}

export function createWebApp(config: WebServerConfig) {
  const upstreams: Upstream[] = [
    {
      prefix: '/api/server/',
      rewriteTo: '/api/',
      name: 'server-service',
      target: config.serverServiceUrl,
    },
    {
      prefix: '/api/chat/',
      rewriteTo: '/api/',
      name: 'chat-service',
      target: config.chatServiceUrl,
    },
  ];
  // xfwd: the services learn the browser's address (X-Forwarded-For) rather than only ours
  const proxy = createProxyServer({ xfwd: true });
  // Errors of a connection already proxied (a browser or a service resetting a WebSocket) come
  // here rather than to a request's callback; unhandled, they would end the process.
  proxy.on('error', (error, _req, resOrSocket) => {
    if (resOrSocket instanceof ServerResponse) {
      problem(resOrSocket, 502, 'Bad Gateway', `the service did not answer (${error.message})`);
    } else {
      (resOrSocket as Duplex | undefined)?.destroy();
    }
  });
  const app = new Koa();

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: contentSecurityPolicy(config.keycloakOrigin),
      },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // HSTS belongs to whatever terminates TLS; over http browsers ignore it, and on localhost
      // it would pin every other local app to https for a year.
      strictTransportSecurity: false,
    }),
  );

  // the services, behind the app's origin: answered by them, untouched (no compression here)
  app.use(async (ctx, next) => {
    const upstream = upstreams.find((u) => ctx.path.startsWith(u.prefix));
    if (!upstream) {
      if (ctx.path === '/api' || ctx.path.startsWith('/api/')) {
        ctx.respond = false;
        problem(
          ctx.res,
          404,
          'Not Found',
          `no service answers ${ctx.path}: use /api/server/… or /api/chat/…`,
        );
        return;
      }
      return next();
    }
    ctx.respond = false;
    ctx.req.url = upstream.rewriteTo + ctx.req.url!.slice(upstream.prefix.length);
    await new Promise<void>((resolve) => {
      ctx.res.once('close', resolve);
      proxy.web(ctx.req, ctx.res, { target: upstream.target }, (error) => {
        problem(
          ctx.res,
          502,
          'Bad Gateway',
          `${upstream.name} at ${upstream.target} did not answer (${(error as NodeJS.ErrnoException).code ?? error.message}); is it running? npm start starts it`,
        );
        resolve();
      });
    });
  });

  app.use(compress());

  // the built app; any other path that looks like a route of the app gets index.html
  app.use(async (ctx) => {
    // answered here rather than thrown: Koa's error handler would drop the security headers
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.status = 405;
      ctx.body = 'Method Not Allowed';
      return;
    }
    const options = {
      root: config.distDir,
      index: 'index.html',
      setHeaders: (res: ServerResponse, file: string) =>
        res.setHeader('Cache-Control', file.includes('/assets/') ? immutableCache : revalidate),
    };
    const lastSegment = ctx.path.slice(ctx.path.lastIndexOf('/') + 1);
    // a file that is not there (a stale chunk, /@fs/…, /src/…) is a 404, never the app
    const isAppRoute =
      !lastSegment.includes('.') && !ctx.path.startsWith('/assets/') && !ctx.path.startsWith('/@');
    try {
      await send(ctx, ctx.path, options);
    } catch (error) {
      // 400 undecodable, 403 outside the root: neither says more than "not here"
      if (![400, 403, 404].includes((error as { status?: number }).status ?? 500)) throw error;
    }
    if (ctx.status === 404 && isAppRoute) await send(ctx, '/index.html', options);
    if (ctx.status === 404) {
      ctx.set('Cache-Control', revalidate);
      ctx.status = 404; // explicitly: a body alone would make it 200
      ctx.body = 'Not Found';
      return;
    }
    if (ctx.fresh) ctx.status = 304;
  });

  app.on('error', (error: Error & { status?: number; expose?: boolean }) => {
    if ((error.status ?? 500) >= 500) console.error(`[web] ${error.stack ?? error.message}`);
  });

  const chatWebSocket = config.chatServiceUrl.replace(/^http/, 'ws');
  /** The STOMP endpoint: `/ws` upgrades to chat-service; nothing else upgrades. */
  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    proxy.ws(req, socket, head, { target: chatWebSocket }, () => socket.destroy());
  }

  return { app, upgrade };
}

/** Listens on config.host:config.port; `port: 0` picks a free port. */
export async function startWebServer(config: WebServerConfig): Promise<WebServer> {
  const { app, upgrade } = createWebApp(config);
  const handle = app.callback();
  // Koa answers and reports every error of a request itself (app.on('error')): nothing to await
  const server = createServer((req, res) => void handle(req, res));
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    // a browser that vanishes resets its socket: nothing to report
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head);
  });
  server.listen(config.port, config.host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw error;
    }),
  ]);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    config,
    server,
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      await closed;
    },
  };
}
