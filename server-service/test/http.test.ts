import { accessToken } from '@echopulse/infra/testing';
import { endpoints } from '@echopulse/infra';
import { createJwtVerifier, createLogger, SnowflakeGenerator } from '@echopulse/service-kit';
import { createClient } from 'redis';
import { createApp } from '../src/app';
import { Database } from '../src/db/database';
import { ApiClient, loginAll, type User, type Json } from '../src/testing/api-client';
import { dbState } from './support/db-state';
import { createGuild } from '../src/testing/factories';
import { userWithoutRealmRoleUser } from './support/keycloak-admin';
import { startTestApp, type TestApp } from '../src/testing/test-app';

describe('HTTP behaviour: authentication, errors, limits, health, docs', () => {
  let app: TestApp;
  let alice: User, bob: User;

  beforeAll(async () => {
    app = await startTestApp({ rateLimitWrites: 5, rateLimitWindowSeconds: 60 });
    ({ alice, bob } = await loginAll(app.baseUrl));
  });
  afterAll(() => app?.close());

  const anonymous = () => new ApiClient(`${app.baseUrl}/api`);

  it('401 without a token, with a malformed one, a tampered one or another scheme', async () => {
    const none = await anonymous().get('/users/@me/guilds');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toMatchObject({
      status: 401,
      code: 'token_missing',
      instance: '/api/users/@me/guilds',
    });

    const [header, payload, signature] = alice.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: bob.id })).toString('base64url');
    const tampered = await new ApiClient(
      `${app.baseUrl}/api`,
      `${header}.${forged}.${signature}`,
    ).get('/guilds');
    expect(tampered.status).toBe(401);
    expect(tampered.body.code).toBe('token_invalid');
    const garbage = await new ApiClient(`${app.baseUrl}/api`, 'not.a.jwt').get('/guilds');
    expect(garbage.status).toBe(401);
    const basic = await anonymous().request('GET', '/guilds', undefined, {
      headers: { authorization: 'Basic YWxpY2U6ZWNob3B1bHNl' },
    });
    expect(basic.status).toBe(401);
  });

  it("401 token_expired for an expired real token (the verifier's clock is moved, not slept)", async () => {
    const late = createJwtVerifier({
      issuer: endpoints.keycloak.issuer,
      audience: 'server-service',
      now: () => new Date(Date.now() + 3600_000),
    });
    // a second app over the same schema whose clock runs an hour ahead
    const redis = createClient({ url: endpoints.redis.url });
    await redis.connect();
    const koa = createApp({
      config: {
        RATE_LIMIT_WRITES: 100,
        RATE_LIMIT_WINDOW_SECONDS: 60,
        REDIS_KEY_PREFIX: app.redisPrefix,
        KEYCLOAK_ISSUER: endpoints.keycloak.issuer,
        KEYCLOAK_PUBLIC_ISSUER: undefined,
        KEYCLOAK_DOCS_CLIENT_ID: 'web-vue',
      },
      logger: createLogger('test', 'silent'),
      db: new Database(app.source, async () => undefined),
      redis,
      verifier: late,
      ids: new SnowflakeGenerator(7),
    });
    const server = koa.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as { port: number }).port;
      const res = await new ApiClient(
        `http://127.0.0.1:${port}/api`,
        await accessToken('alice'),
      ).get('/guilds');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_expired');
    } finally {
      await new Promise((r) => server.close(r));
      await redis.quit();
    }
  });

  it('403 for a real token without the realm role "user"', async () => {
    const user = await userWithoutRealmRoleUser();
    try {
      const res = await new ApiClient(`${app.baseUrl}/api`, user.token).get('/users/@me/guilds');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('realm_role_missing');
    } finally {
      await user.remove();
    }
  });

  it('400 for malformed JSON, wrong types and unknown fields, with field details; nothing written', async () => {
    const g = await createGuild(alice);
    const before = await dbState(app.source);
    const malformed = await alice.api.request('PATCH', `/guilds/${g.id}`, undefined, {
      rawBody: '{"name": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_json');
    const wrongType = await alice.api.patch(`/guilds/${g.id}`, { name: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({
      code: 'validation_failed',
      errors: { 'body.name': expect.anything() },
    });
    const extra = await alice.api.patch(`/guilds/${g.id}`, { name: 'fine', admin: true });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body.errors)).toMatch(/admin/);
    const nul = await alice.api.patch(`/guilds/${g.id}`, { name: 'nul \u0000 inside' });
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toHaveProperty(['body.name']);
    const badId = await alice.api.get('/guilds/not-a-snowflake');
    expect(badId.status).toBe(400);
    expect(Object.keys(badId.body.errors)).toEqual(['guildId']);
    const tooBig = await alice.api.get('/guilds/99999999999999999999');
    expect(tooBig.status).toBe(400);
    expect(await dbState(app.source)).toEqual(before);
  });

  it('404 problem+json for unknown routes', async () => {
    const res = await alice.api.get('/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
    expect((await fetch(`${app.baseUrl}/elsewhere`)).status).toBe(404);
  });

  it('429 with Retry-After past the per-user write limit; reads and other users unaffected', async () => {
    // this app allows 5 writes per user and minute; bob has spent none in it so far
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await bob.api.post('/guilds', { name: `rl ${i}` })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    const limited = await bob.api.post('/guilds', { name: 'one more' });
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await bob.api.get('/users/@me/guilds')).status).toBe(200);
    expect(
      (await bob.api.get('/users/@me/guilds?limit=100')).body.items.map((g: Json) => g.name),
    ).not.toContain('one more');
  });

  it('X-Request-Id is echoed, or made up', async () => {
    const res = await fetch(`${app.baseUrl}/health/live`, {
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${app.baseUrl}/health/live`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('health: live and ready (Postgres, Redis)', async () => {
    expect(await (await fetch(`${app.baseUrl}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { postgres: { ok: true }, redis: { ok: true } },
    });
  });

  it('serves the OpenAPI document and Swagger UI with Keycloak login (PKCE)', async () => {
    const spec = (await (await fetch(`${app.baseUrl}/openapi.json`)).json()) as Json;
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.components.securitySchemes.keycloak.flows.authorizationCode.authorizationUrl).toBe(
      `${endpoints.keycloak.issuer}/protocol/openid-connect/auth`,
    );
    const html = await fetch(`${app.baseUrl}/docs/`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('swagger-ui-bundle.js');
    const init = await (await fetch(`${app.baseUrl}/docs/swagger-initializer.js`)).text();
    expect(init).toContain('usePkceWithAuthorizationCodeGrant: true');
    expect(init).toContain('"web-vue"');
    expect((await fetch(`${app.baseUrl}/docs/oauth2-redirect.html`)).status).toBe(200);
    expect((await fetch(`${app.baseUrl}/docs/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${app.baseUrl}/docs/package.json`)).status).toBe(404);
    const redirect = await fetch(`${app.baseUrl}/docs`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
  });

  it('GET /users/@me names the caller from the token', async () => {
    const me = await alice.api.get('/users/@me');
    expect(me.body).toMatchObject({
      id: alice.id,
      username: 'alice',
      roles: expect.arrayContaining(['user']),
    });
    const [row] = await app.source.query(`SELECT username FROM users WHERE id = $1`, [alice.id]);
    expect(row.username).toBe('alice');
  });
});
