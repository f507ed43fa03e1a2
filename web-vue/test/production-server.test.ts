/**
 * @jest-environment node
 */
// Issue #10 item 7: what `npm start` serves on 8080 is the built app, not Vite's development
// server. The production server runs here against a dist laid out as `vite build` lays it out,
// with stub upstreams in place of server-service and chat-service (HTTP and WebSocket).
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { WebSocket, WebSocketServer } from 'ws';
import { appConfig } from '../src/lib/config';
import { readWebServerConfig } from '../server/config';
import { startWebServer, type WebServer } from '../server/web-server';

const repoRoot = join(__dirname, '../..');
const indexHtml =
  '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="app"></div></body></html>';
// big enough to be worth compressing
const script = `console.log(${JSON.stringify('EchoPulse '.repeat(500))});\n`;

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A stand-in for a service: answers every request with what it saw, as JSON. */
async function stubService(name: string): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ service: name, url: req.url }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** GET (or another method) with raw bytes back: fetch would decompress on its own. */
function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

let web: WebServer;
let base: string;
let serverService: Awaited<ReturnType<typeof stubService>>;
let chatService: Awaited<ReturnType<typeof stubService>>;
let chatSockets: WebSocketServer;
const wsPaths: string[] = [];

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), indexHtml);
  writeFileSync(join(dist, 'assets/index-Ab12Cd34.js'), script);
  writeFileSync(join(dist, 'assets/index-Ef56Gh78.css'), 'body{color:red}');
  serverService = await stubService('server-service');
  chatService = await stubService('chat-service');
  // chat-service's STOMP endpoint: echoes what it receives
  chatSockets = new WebSocketServer({ server: chatService.server });
  chatSockets.on('connection', (socket, req) => {
    wsPaths.push(req.url!);
    socket.on('message', (data) => socket.send(`echo ${String(data)}`));
  });
  web = await startWebServer({
    ...readWebServerConfig({}),
    port: 0,
    distDir: dist,
    serverServiceUrl: serverService.url,
    chatServiceUrl: chatService.url,
  });
  base = web.url;
});

afterAll(async () => {
  await web?.close();
  chatSockets?.close();
  serverService?.server.close();
  chatService?.server.close();
});

describe('the production web server (npm start -w web-vue)', () => {
  it('listens on 127.0.0.1:8080 by default, with the Keycloak the app logs in with', () => {
    const config = readWebServerConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      serverServiceUrl: 'http://127.0.0.1:8081',
      chatServiceUrl: 'http://127.0.0.1:8082',
    });
    expect(config.keycloakOrigin).toBe(new URL(appConfig.authority).origin);
    expect(() => readWebServerConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('serves hashed assets for a year (immutable) and index.html revalidated every time', async () => {
    const asset = await get(`${base}/assets/index-Ab12Cd34.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.body.toString()).toBe(script);

    for (const path of ['/', '/index.html']) {
      const index = await get(`${base}${path}`);
      expect(index.status).toBe(200);
      expect(index.headers['cache-control']).toBe('no-cache');
      expect(index.body.toString()).toBe(indexHtml);
    }
    // revalidation: unchanged means 304 without a body
    const first = await get(`${base}/`);
    const again = await get(`${base}/`, {
      'if-modified-since': String(first.headers['last-modified']),
    });
    expect(again.status).toBe(304);
  });

  it('compresses with brotli or gzip, as the browser accepts', async () => {
    const br = await get(`${base}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(script.length / 5);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);

    const gzip = await get(`${base}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(script);

    const plain = await get(`${base}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it("serves nothing outside the build: Vite's /@fs/, dotfiles and climbing out are 404", async () => {
    for (const path of [
      `/@fs${repoRoot}/keycloak/realm-export.json`,
      `/@fs${repoRoot}/package.json`,
      '/@vite/client',
      '/src/main.ts',
      '/assets/../../package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/.env',
      '/assets/index-00000000.js',
    ]) {
      const answer = await get(`${base}${path}`);
      expect([path, answer.status]).toEqual([path, 404]);
      expect(answer.body.toString()).not.toContain('echopulse');
    }
  });

  it("answers the app's own routes with index.html (a single-page app)", async () => {
    for (const path of [
      '/channels/@me',
      '/channels/1/2',
      '/invite/AbCd1234',
      '/auth/callback?code=x',
    ]) {
      const answer = await get(`${base}${path}`, { accept: 'text/html' });
      expect([path, answer.status]).toEqual([path, 200]);
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.body.toString()).toBe(indexHtml);
    }
    // only reads fall back to the app
    expect((await get(`${base}/channels/@me`, {}, 'POST')).status).toBe(405);
  });

  it('proxies /api/server and /api/chat to the services with the prefix rewritten to /api', async () => {
    const toServer = await get(`${base}/api/server/guilds?limit=5`);
    expect(toServer.status).toBe(200);
    expect(JSON.parse(toServer.body.toString())).toEqual({
      service: 'server-service',
      url: '/api/guilds?limit=5',
    });
    const toChat = await get(`${base}/api/chat/channels/7/messages?before=9`);
    expect(JSON.parse(toChat.body.toString())).toEqual({
      service: 'chat-service',
      url: '/api/channels/7/messages?before=9',
    });
    // the browser's headers reach the service, and it learns who asked
    const seen = chatService.seen.at(-1)!;
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.method).toBe('GET');
  });

  it('proxies the WebSocket upgrade of /ws to chat-service', async () => {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`);
    await once(socket, 'open');
    socket.send('CONNECT');
    const [reply] = (await once(socket, 'message')) as [Buffer];
    expect(String(reply)).toBe('echo CONNECT');
    expect(wsPaths.at(-1)).toBe('/ws');
    socket.close();
    await once(socket, 'close');

    // nothing else upgrades
    const other = new WebSocket(`${base.replace(/^http/, 'ws')}/elsewhere`);
    const [error] = (await once(other, 'error')) as [Error];
    expect(error.message).toMatch(/Unexpected server response: 404|socket hang up/);
  });

  it('outlives WebSockets reset by the browser or by chat-service', async () => {
    // found by the e2e test: a browser dropping its socket (ECONNRESET) crashed the server
    const wsUrl = `${base.replace(/^http/, 'ws')}/ws`;
    const fromBrowser = new WebSocket(wsUrl);
    await once(fromBrowser, 'open');
    (fromBrowser as unknown as { _socket: Socket })._socket.resetAndDestroy();
    const fromService = new WebSocket(wsUrl);
    await once(fromService, 'open');
    for (const client of chatSockets.clients) {
      (client as unknown as { _socket: Socket })._socket.resetAndDestroy();
    }
    await once(fromService, 'close');
    await new Promise((r) => setTimeout(r, 200));
    const again = new WebSocket(wsUrl);
    await once(again, 'open');
    again.close();
    expect((await get(`${base}/`)).status).toBe(200);
  });

  it('answers 502 problem+json saying which service is down and what to do', async () => {
    const down = await startWebServer({
      ...readWebServerConfig({}),
      port: 0,
      distDir: web.config.distDir,
      serverServiceUrl: 'http://127.0.0.1:9', // discard: nothing listens
      chatServiceUrl: chatService.url,
    });
    try {
      const answer = await get(`${down.url}/api/server/guilds`);
      expect(answer.status).toBe(502);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(answer.body.toString()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 502, title: 'Bad Gateway' });
      expect(problem.detail).toMatch(/server-service .*127\.0\.0\.1:9.*npm start/);
    } finally {
      await down.close();
    }
  });

  it('sends the security headers, with a CSP the app works under', async () => {
    for (const path of ['/', '/assets/index-Ab12Cd34.js', '/channels/@me', '/nope.txt']) {
      const { headers } = await get(`${base}${path}`);
      const csp = String(headers['content-security-policy']);
      const directives = new Map(
        csp.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name!, values.join(' ')];
        }),
      );
      expect(directives.get('default-src')).toBe("'self'");
      expect(directives.get('script-src')).toBe("'self'");
      expect(directives.get('object-src')).toBe("'none'");
      expect(directives.get('frame-ancestors')).toBe("'none'");
      expect(directives.get('base-uri')).toBe("'self'");
      // the app talks to Keycloak (token, userinfo) and opens its WebSocket on its own origin
      expect(directives.get('connect-src')).toBe(`'self' ${new URL(appConfig.authority).origin}`);
      // http://127.0.0.1:8180 must stay http: upgrading it would break the login
      expect(directives.has('upgrade-insecure-requests')).toBe(false);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['x-powered-by']).toBeUndefined();
    }
  });
});
