import { appendFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A Content-Security-Policy violation a page reported: what was blocked, on which page. */
export interface CspViolation {
  /** The page (or frame) whose policy was violated. */
  documentUri: string;
  directive: string;
  blockedUri: string;
}

/**
 * A user's own browser profile: own cookies, own Keycloak session, own storage. Every
 * Content-Security-Policy violation of any of its pages (the app's and Keycloak's) is collected
 * in `violations`, from the `securitypolicyviolation` event, and logged.
 */
export async function newUser(
  browser: Browser,
  width = 1280,
  logFile?: string,
): Promise<{ context: BrowserContext; page: Page; violations: CspViolation[] }> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const violations: CspViolation[] = [];
  await context.exposeBinding('__reportCspViolation', (_source, violation: CspViolation) => {
    violations.push(violation);
    if (logFile) {
      appendFileSync(
        logFile,
        `${new Date().toISOString()} [csp] ${violation.directive} blocked ${violation.blockedUri} on ${violation.documentUri}\n`,
      );
    }
  });
  await context.addInitScript(() => {
    // runs in the page: the types are spelt out because this file is compiled without the DOM's
    interface ViolationEvent {
      documentURI: string;
      effectiveDirective: string;
      blockedURI: string;
    }
    const page = globalThis as unknown as {
      __reportCspViolation: (v: unknown) => void;
      document: { addEventListener(type: string, fn: (e: ViolationEvent) => void): void };
    };
    page.document.addEventListener('securitypolicyviolation', (e) =>
      page.__reportCspViolation({
        documentUri: e.documentURI,
        directive: e.effectiveDirective,
        blockedUri: e.blockedURI,
      }),
    );
  });
  const page = await context.newPage();
  // deleting asks window.confirm: a person would click OK
  page.on('dialog', (dialog) => void dialog.accept());
  if (logFile) {
    // the page's console and failed requests, for reading after a failure
    const log = (line: string) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
    page.on('console', (m) => log(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log(`[pageerror] ${e.message}`));
    page.on('websocket', (ws) => {
      log(`[ws] open ${ws.url()}`);
      ws.on('framereceived', (f) => log(`[ws<] ${String(f.payload).slice(0, 300)}`));
      ws.on('framesent', (f) => log(`[ws>] ${String(f.payload).slice(0, 300)}`));
      ws.on('close', () => log('[ws] closed'));
    });
    page.on('response', (r) => {
      if (r.status() >= 400) log(`[http ${r.status()}] ${r.request().method()} ${r.url()}`);
    });
  }
  return { context, page, violations };
}

/** Goes through Keycloak's own login page, as a person does. */
export async function logIn(page: Page, username: string, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('#username', { timeout: 30_000 });
  await page.fill('#username', username);
  await page.fill('#password', 'echopulse');
  await page.click('#kc-login');
  await page.waitForURL((u) => u.port === '8080' && !u.pathname.startsWith('/auth/'), {
    timeout: 30_000,
  });
  // attached, not visible: on a narrow screen the user panel sits in the folded channel drawer
  await page
    .getByTestId('current-user')
    .or(page.getByTestId('invite-guild-name'))
    .first()
    .waitFor({ state: 'attached' });
}
