import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { endpoints } from '@echopulse/infra';
import { loginAll } from '../src/testing/api-client';
import { createGuild } from '../src/testing/factories';
import { startTestApp, type TestApp } from '../src/testing/test-app';

/**
 * Swagger UI logged in through the real Keycloak in headless Chromium. The realm lets the
 * web-vue client redirect to, and answer CORS for, http://127.0.0.1:8081 only; the browser is
 * shown that origin while every request to it is served by the test instance on its ephemeral
 * port, so the test neither needs port 8081 nor disturbs a service running there.
 */
describe('Swagger UI with Keycloak login', () => {
  const origin = 'http://127.0.0.1:8081';
  const screenshot = join(__dirname, '../../test-results/server-service/swagger-ui-logged-in.png');
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Pages served through request interception have no address space of their own, so
        // Chromium's local-network-access checks would block the token request to Keycloak on
        // loopback; a real deployment serves docs and Keycloak from real addresses.
        '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('logs in as alice, runs GET /users/@me/guilds and gets a 200, with no CSP violation', async () => {
    const { alice } = await loginAll(app.baseUrl);
    const guild = await createGuild(alice);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    const served: string[] = [];
    await context.route(`${origin}/**`, async (route) => {
      const url = route.request().url().replace(origin, app.baseUrl);
      served.push(new URL(url).pathname);
      const response = await route.fetch({ url });
      await route.fulfill({ response });
    });
    // Keycloak's answer to the login form redirects the popup back to the docs, and Chromium
    // follows a redirect without routing it again (it would reach whatever listens on 8081): the
    // redirect is turned into a page that navigates there, which the route above then serves
    await context.route(`${endpoints.keycloak.issuer}/login-actions/**`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers()['location'] ?? '';
      if (!location.startsWith(`${origin}/`)) return route.fulfill({ response });
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: `<meta http-equiv="refresh" content="0;url=${location.replaceAll('"', '&quot;')}">`,
      });
    });
    // every CSP violation of every page (the Keycloak popup and the redirect page back included),
    // reported to the test as it happens, so a page that closes at once still reports
    const violations: string[] = [];
    await context.exposeBinding('reportCspViolation', (_source, violation: string) => {
      violations.push(violation);
    });
    // as text: it runs in the pages, whose DOM types the tests are not compiled with
    await context.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) =>
        window.reportCspViolation(e.documentURI + ': ' + e.effectiveDirective + ' blocked ' + e.blockedURI));`,
    });
    // the headers of every answer of ours, read as it arrives (the popup closes at once)
    const answers: Promise<{ path: string; headers: Record<string, string> }>[] = [];
    context.on('response', (response: Response) => {
      if (!response.url().startsWith(origin)) return;
      const path = new URL(response.url()).pathname;
      answers.push(response.allHeaders().then((headers) => ({ path, headers })));
    });
    const consoleErrors: string[] = [];
    context.on('page', (p: Page) =>
      p.on('console', (m) => {
        if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) {
          consoleErrors.push(`${p.url()}: ${m.text()}`);
        }
      }),
    );
    const page = await context.newPage();
    await page.goto(`${origin}/docs/`);
    await page.locator('.swagger-ui .auth-wrapper .authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      dialog.locator('.auth-btn-wrapper .authorize').click(),
    ]);
    await popup.waitForSelector('#username');
    await popup.fill('#username', 'alice');
    await popup.fill('#password', 'echopulse');
    await Promise.all([popup.waitForEvent('close'), popup.click('#kc-login')]);
    // logged in: the dialog offers "Logout" now
    await dialog.locator('.auth-btn-wrapper .btn-done, button:has-text("Close")').first().click();
    await page.locator('.swagger-ui .auth-wrapper .authorize.locked').waitFor();

    const operation = page.locator('#operations-Users-ListMyGuilds');
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    // Swagger UI fills `after` with the schema's example id; the first page starts without one
    await operation.locator('tr[data-param-name="after"] input').fill('');
    await operation.locator('.execute').click();
    const status = operation
      .locator('.live-responses-table .response .response-col_status')
      .first();
    await status.waitFor();
    expect((await status.innerText()).trim()).toBe('200');
    await expect(
      operation.locator('.live-responses-table .microlight').first().innerText(),
    ).resolves.toContain(guild.name);
    await mkdir(join(screenshot, '..'), { recursive: true });
    // the operation from its header (closed padlock: authorized) to the live response
    await operation.locator('.opblock-summary').evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: screenshot });
    const seen = await Promise.all(answers);
    await context.close();

    expect(served).toContain('/docs/oauth2-redirect.html');
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // the page, its scripts, the spec, the redirect page and the API call all carried the headers
    expect(seen.map((a) => a.path)).toEqual(
      expect.arrayContaining([
        '/docs/',
        '/docs/swagger-initializer.js',
        '/openapi.json',
        '/docs/oauth2-redirect.html',
        '/api/users/@me/guilds',
      ]),
    );
    for (const { path, headers } of seen) {
      expect({ path, csp: headers['content-security-policy'] }).toEqual({
        path,
        csp: expect.stringContaining("frame-ancestors 'none'"),
      });
      expect({ path, xfo: headers['x-frame-options'] }).toEqual({ path, xfo: 'DENY' });
      expect({ path, nosniff: headers['x-content-type-options'] }).toEqual({
        path,
        nosniff: 'nosniff',
      });
      expect({ path, referrer: headers['referrer-policy'] }).toEqual({
        path,
        referrer: 'no-referrer',
      });
    }
  });
});
