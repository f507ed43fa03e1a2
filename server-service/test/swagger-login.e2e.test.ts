import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loginAll } from './support/api-client';
import { createGuild } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

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

  it('logs in as alice, runs GET /users/@me/guilds and gets a 200', async () => {
    const { alice } = await loginAll(app.baseUrl);
    const guild = await createGuild(alice);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    await context.route(`${origin}/**`, async (route) => {
      const url = route.request().url().replace(origin, app.baseUrl);
      const response = await route.fetch({ url });
      await route.fulfill({ response });
    });
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
    await context.close();
  });
});
