// What a browser downloads from the web app on a first visit (empty cache), in headless Chromium:
// every response of the app's own origin is counted, (1) until the app has sent the browser to
// Keycloak's login page, and (2) through a whole first visit: that, alice's login, and the app
// back from Keycloak showing her guilds. Used for the figures in web-vue/README.md (issue #10
// item 7); the system must be running (npm start, or npm run dev for the development server):
//   npx tsx scripts/measure-first-visit.ts [http://localhost:8080]
import { chromium, type Browser, type Response } from 'playwright-core';

async function visit(browser: Browser, url: string, logIn: boolean): Promise<string> {
  const origin = new URL(url).origin;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const responses: Response[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(origin)) responses.push(r);
    });
    await page.goto(url);
    // the app has loaded and sent the browser to Keycloak's login page
    await page.waitForSelector('#username', { timeout: 60_000 });
    if (logIn) {
      await page.fill('#username', 'alice');
      await page.fill('#password', 'echopulse');
      await page.click('#kc-login');
      await page.getByTestId('current-user').waitFor({ timeout: 60_000 });
      await page.waitForLoadState('networkidle');
    }
    let scripts = 0;
    let scriptBytes = 0;
    let total = 0;
    for (const r of responses) {
      // transferred = headers + body as sent (compressed when it was)
      const sizes = await r.request().sizes();
      const bytes = sizes.responseHeadersSize + sizes.responseBodySize;
      total += bytes;
      if (r.request().resourceType() === 'script') {
        scripts += 1;
        scriptBytes += bytes;
      }
    }
    const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
    return (
      `${responses.length} responses, ${scripts} script files, ` +
      `JavaScript ${kB(scriptBytes)} transferred, ${kB(total)} in all`
    );
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const url = process.argv[2] ?? 'http://localhost:8080';
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    process.stdout.write(
      `${url}, up to Keycloak's login page: ${await visit(browser, url, false)}\n`,
    );
    process.stdout.write(`${url}, logged in as alice:       ${await visit(browser, url, true)}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`measure-first-visit failed: ${String(error)}\n`);
  process.exit(1);
});
