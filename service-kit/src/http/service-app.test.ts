import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../logging';
import { createServiceApp } from './service-app';

/** Every line the app logged, parsed. */
class LogCapture extends Writable {
  readonly text: string[] = [];
  get lines(): Record<string, unknown>[] {
    return this.text.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
}

const issuer = 'http://127.0.0.1:8180/realms/echopulse';

/** `{"a":[[[…]]]}` with `depth` arrays inside the object. */
const nested = (depth: number) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('createServiceApp', () => {
  const log = new LogCapture();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = createServiceApp({
      logger: createLogger('service-app-test', 'info', log),
      services: {},
      healthChecks: {},
      isShuttingDown: () => false,
      docs: {
        specPath: join(__dirname, '../../../openapi/server-service.json'),
        title: 'test',
        publicIssuer: issuer,
        clientId: 'web-vue',
      },
      registerRoutes: (router) => {
        router.post('/api/echo', (ctx) => {
          ctx.body = { received: typeof (ctx.request as { body?: unknown }).body };
        });
        router.get('/api/invites/:code', (ctx) => {
          ctx.body = { code: 'seen' };
        });
        router.post('/api/invites/:code', () => {
          throw new Error('something broke while joining');
        });
      },
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => log.text.splice(0));

  const post = (path: string, body: string) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  describe('JSON nesting', () => {
    it('refuses a body 120,000 levels deep with 400 json_too_deep, logging no error or stack', async () => {
      const res = await post('/api/echo', nested(120_000));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 400, code: 'json_too_deep' });
      expect(log.lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
      expect(log.text.join('\n')).not.toMatch(/stack|RangeError/);
    });

    it('takes 64 levels and refuses 65', async () => {
      // the object counts as the first level
      expect((await post('/api/echo', nested(63))).status).toBe(200);
      const deep = await post('/api/echo', nested(64));
      expect(deep.status).toBe(400);
      expect(((await deep.json()) as { detail: string }).detail).toMatch(/64 levels/);
    });
  });

  describe('secrets in logs', () => {
    it('logs an invite URL with the code redacted', async () => {
      expect((await fetch(`${base}/api/invites/Zq7Kp2Xw9`)).status).toBe(200);
      const request = log.lines.find((l) => l.msg === 'request');
      expect(request).toMatchObject({ path: '/api/invites/[redacted]', status: 200 });
      expect(log.text.join('\n')).not.toContain('Zq7Kp2Xw9');
    });

    it('keeps the code out of the error line of a failed request too', async () => {
      const res = await post('/api/invites/Zq7Kp2Xw9', '{}');
      expect(res.status).toBe(500);
      const failed = log.lines.find((l) => l.msg === 'request failed');
      expect(failed).toMatchObject({ path: '/api/invites/[redacted]' });
      expect(log.text.join('\n')).not.toContain('Zq7Kp2Xw9');
    });
  });

  describe('security headers', () => {
    it.each([
      ['the API', '/api/invites/x1y2z3w4', 200],
      ['a problem', '/api/nowhere', 404],
      ['Swagger UI', '/docs/', 200],
      ['its start-up script', '/docs/swagger-initializer.js', 200],
      ['the OAuth redirect page', '/docs/oauth2-redirect.html', 200],
      ['the OpenAPI document', '/openapi.json', 200],
    ])('are on %s', async (_what, path, status) => {
      const res = await fetch(base + path);
      expect(res.status).toBe(status);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      // Swagger UI's token call goes to Keycloak
      expect(csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:8180(;|$)/);
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    });
  });
});
