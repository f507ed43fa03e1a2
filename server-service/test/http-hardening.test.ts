import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { endpoints } from '@echopulse/infra';
import {
  createJwtVerifier,
  createLogger,
  SnowflakeGenerator,
  type JwtVerifier,
} from '@echopulse/service-kit';
import { createClient } from 'redis';
import { createApp } from '../src/app';
import { Database } from '../src/db/database';
import { ApiClient, loginAll, type User } from '../src/testing/api-client';
import { createGuild } from '../src/testing/factories';
import { startTestApp, type TestApp } from '../src/testing/test-app';

// Issue #10, items 4, 6 and 10 on server-service: bodies nested without bound, security headers,
// invite codes in the logs and a Keycloak that cannot be reached.

/** Every line a logger wrote. */
class Lines extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text.push(chunk.toString());
    done();
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const deepBody = (depth: number) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('HTTP hardening (issue #10)', () => {
  let app: TestApp;
  let alice: User, bob: User;
  const redis = createClient({ url: endpoints.redis.url });

  beforeAll(async () => {
    app = await startTestApp();
    ({ alice, bob } = await loginAll(app.baseUrl));
    await redis.connect();
  });
  afterAll(async () => {
    await redis.quit();
    await app?.close();
  });

  /** A second app over the suite's schema with its own logger and verifier. */
  async function withApp<T>(
    options: { log?: Lines; verifier?: JwtVerifier },
    work: (api: (token?: string) => ApiClient) => Promise<T>,
  ): Promise<T> {
    const koa = createApp({
      config: {
        RATE_LIMIT_WRITES: 100_000,
        RATE_LIMIT_WINDOW_SECONDS: 60,
        REDIS_KEY_PREFIX: app.redisPrefix,
        KEYCLOAK_ISSUER: endpoints.keycloak.issuer,
        KEYCLOAK_PUBLIC_ISSUER: undefined,
        KEYCLOAK_DOCS_CLIENT_ID: 'web-vue',
      },
      logger: createLogger('hardening-test', 'info', options.log ?? new Lines()),
      db: new Database(app.source, async () => undefined),
      redis,
      verifier:
        options.verifier ??
        createJwtVerifier({ issuer: endpoints.keycloak.issuer, audience: 'server-service' }),
      ids: new SnowflakeGenerator(9),
    });
    const server: Server = await new Promise((resolve) => {
      const s = koa.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    try {
      return await work((token) => new ApiClient(base, token));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  describe('JSON nested 120,000 levels deep', () => {
    it.each([
      ['without a token', () => undefined],
      ['with a token', () => alice.token],
    ])('gets 400 json_too_deep %s, and nothing is logged as an error', async (_what, token) => {
      const log = new Lines();
      await withApp({ log }, async (api) => {
        for (const [method, path] of [
          ['POST', '/guilds'],
          ['PATCH', '/guilds/123456789'],
          ['POST', '/invites/abcdefgh'],
        ] as const) {
          const res = await api(token()).request(method, path, undefined, {
            rawBody: deepBody(120_000),
          });
          expect({ method, path, status: res.status }).toEqual({ method, path, status: 400 });
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(res.body).toMatchObject({ code: 'json_too_deep', status: 400 });
          expect(res.body.detail).toMatch(/deeper than 64 levels/);
        }
      });
      const logged = log.text.map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(logged.filter((l) => l.level >= 40)).toEqual([]);
      expect(log.text.join('')).not.toMatch(/RangeError|stack/);
    });

    it('still takes ordinary bodies (a guild is created)', async () => {
      const res = await alice.api.post('/guilds', { name: 'flat enough' });
      expect(res.status).toBe(201);
    });
  });

  describe('security headers', () => {
    it.each([
      ['an API answer', '/api/users/@me/guilds', true, 200],
      ['a 401 problem', '/api/users/@me/guilds', false, 401],
      ['Swagger UI', '/docs/', false, 200],
      ['the OpenAPI document', '/openapi.json', false, 200],
    ])('are on %s', async (_what, path, signedIn, status) => {
      const res = await fetch(app.baseUrl + path, {
        headers: signedIn ? { authorization: `Bearer ${alice.token}` } : {},
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain(
        `connect-src 'self' ${new URL(endpoints.keycloak.issuer).origin}`,
      );
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    });
  });

  describe('invite codes', () => {
    it('never appear in a log line, whatever is done with them', async () => {
      const guild = await createGuild(alice);
      const log = new Lines();
      const code = await withApp({ log }, async (api) => {
        const created = await api(alice.token).post(`/guilds/${guild.id}/invites`, {});
        expect(created.status).toBe(201);
        const code = created.body.code as string;
        expect((await api(bob.token).get(`/invites/${code}`)).status).toBe(200);
        expect((await api(bob.token).post(`/invites/${code}`)).status).toBe(201);
        expect((await api(bob.token).post(`/invites/${code}`)).status).toBe(409);
        expect((await api().get(`/invites/${code}`)).status).toBe(401);
        expect((await api(alice.token).delete(`/invites/${code}`)).status).toBe(204);
        return code;
      });
      const requests = log.text
        .map((l) => JSON.parse(l) as { msg: string; path?: string })
        .filter((l) => l.msg === 'request');
      expect(requests.map((r) => r.path)).toEqual([
        `/api/guilds/${guild.id}/invites`,
        ...Array<string>(5).fill('/api/invites/[redacted]'),
      ]);
      expect(log.text.join('')).not.toContain(code);
    });
  });

  describe('Keycloak out of reach', () => {
    it('answers 503 auth_unavailable saying only that, and logs the cause', async () => {
      const port = await closedPort();
      const log = new Lines();
      const verifier = createJwtVerifier({
        issuer: endpoints.keycloak.issuer,
        audience: 'server-service',
        jwksUri: `http://127.0.0.1:${port}/realms/echopulse/protocol/openid-connect/certs`,
        logger: createLogger('hardening-test', 'info', log),
      });
      const res = await withApp({ verifier }, (api) => api(alice.token).get('/users/@me/guilds'));
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        type: 'https://echopulse.dev/problems/auth_unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The identity provider cannot be reached; try again shortly.',
        code: 'auth_unavailable',
        instance: '/api/users/@me/guilds',
      });
      expect(log.text.join('')).toContain('ECONNREFUSED');
    });
  });
});
