import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn, newUser, type CspViolation } from './support/browser';
import {
  appPorts,
  groupAlive,
  listening,
  root,
  startSystem,
  urls,
  type RunningSystem,
} from './support/system';

/**
 * Issue #6 item 7, through the web app against the whole system as `npm start` runs it: alice
 * creates a guild, a channel and an invite; bob joins through the invite; they talk both ways;
 * bob drops off the network while alice sends three messages and sees each exactly once when he
 * is back; alice's edit and delete reach bob; carol, without the invite, never sees the guild.
 * Steps share one system and one browser, so they run in order; a screenshot is saved per step.
 */
const shots = join(root, 'test-results/e2e');
const run = Date.now().toString(36);
const guildName = `E2E ${run}`;
const channelName = `talk-${run}`;
/**
 * One step of the story: later steps build on earlier ones, so after a failure the rest fail at
 * once, naming the step that broke, instead of each timing out on its own.
 */
let broken: string | null = null;
function storyStep(name: string, fn: () => Promise<void>, timeout?: number) {
  it(
    name,
    async () => {
      if (broken) throw new Error(`not run: the earlier step "${broken}" failed`);
      try {
        await fn();
      } catch (error) {
        broken = name;
        // what each person saw when it broke: a screenshot, and in the failure itself (CI shows
        // only that) the page's text and the end of the browser's log
        const seen: string[] = [];
        for (const [who, user] of [
          ['alice', alice],
          ['bob', bob],
        ] as const) {
          if (!user) continue;
          await user.page
            .screenshot({ path: join(shots, `failed-${who}.png`) })
            .catch(() => undefined);
          const text = await user.page
            .locator('body')
            .innerText({ timeout: 2000 })
            .catch(() => '(no page)');
          const logPath = join(shots, `${who}.log`);
          const log = existsSync(logPath)
            ? readFileSync(logPath, 'utf8').trim().split('\n').slice(-12).join('\n')
            : '';
          seen.push(
            `${who} at ${user.page.url()} saw: ${text.replace(/\s+/g, ' ').slice(0, 400)}`,
            `${who}'s browser log, last lines:\n${log}`,
          );
        }
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message}\n\n${seen.join('\n')}`, { cause: error });
      }
    },
    timeout,
  );
}

type User = Awaited<ReturnType<typeof newUser>>;
let system: RunningSystem;
let browser: Browser;
let alice: User;
let bob: User;
/** Every user's Content-Security-Policy violations, checked at the end of the story. */
const violations: { who: string; seen: CspViolation[] }[] = [];
let guildId = '';
let inviteLink = '';
let step = 0;

async function shot(page: Page, name: string): Promise<void> {
  step += 1;
  await page.screenshot({ path: join(shots, `${String(step).padStart(2, '0')}-${name}.png`) });
}

/** The texts of the messages in the open channel, in order. */
async function texts(page: Page): Promise<string[]> {
  return page.getByTestId('message-list').getByTestId('message-content').allInnerTexts();
}

async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/** A message confirmed by chat-service (RECEIPT or its echo) in the open channel. */
function confirmed(page: Page, text: string) {
  return page.getByTestId('message-confirmed').filter({ hasText: text });
}

/** Bold, a spoiler, a code block with a language hint and a masked link (issue #13). */
const markdownMessage =
  'Markdown **bold words** and ||secret plan||\n```js\nconst answer = 42;\n```\nsee [the docs](https://example.com/docs)';

beforeAll(async () => {
  // this run's screenshots only
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  system = await startSystem(shots);
  browser = await launchBrowser();
}, 10 * 60_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
}, 60_000);

describe('web-vue end to end', () => {
  storyStep('alice logs in through Keycloak and creates a guild', async () => {
    alice = await newUser(browser, 1280, join(shots, 'alice.log'));
    violations.push({ who: 'alice', seen: alice.violations });
    await logIn(alice.page, 'alice', urls.web);
    // the account panel shows the display name, as everything else does (issue #12 bug 7)
    await expect(alice.page.getByTestId('current-user').innerText()).resolves.toBe('Alice Archer');
    await shot(alice.page, 'alice-logged-in');

    await alice.page.getByRole('button', { name: 'Create a server' }).click();
    await alice.page.getByTestId('guild-name').fill(guildName);
    await alice.page.getByTestId('guild-create-submit').click();
    // a new guild opens on its "general" channel
    await alice.page.waitForURL(/\/channels\/\d+\/\d+$/);
    guildId = /\/channels\/(\d+)\//.exec(alice.page.url())![1]!;
    await alice.page.getByTestId(`guild-${guildName}`).waitFor();
    await alice.page.getByTestId('channel-general').waitFor();
    await shot(alice.page, 'alice-created-guild');
  });

  storyStep(
    'the app is served as built for production: cached, compressed, no Vite, with security headers',
    async () => {
      // issue #10 item 7: npm start used to serve Vite's development server, files of the
      // repository included
      const leak = await fetch(`${urls.web}/@fs${root}/keycloak/realm-export.json`);
      expect(leak.status).toBe(404);
      expect(await leak.text()).not.toContain('echopulse');
      const index = await fetch(urls.web, { headers: { 'accept-encoding': 'br, gzip' } });
      const html = await index.text();
      expect(html).not.toContain('/@vite/client');
      expect(index.headers.get('cache-control')).toBe('no-cache');
      expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(index.headers.get('x-content-type-options')).toBe('nosniff');
      expect(index.headers.get('x-frame-options')).toBe('DENY');
      expect(index.headers.get('referrer-policy')).toBe('no-referrer');
      const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(
        html,
      )?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${urls.web}${script}`, { headers: { 'accept-encoding': 'br' } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-encoding')).toBe('br');
    },
  );

  storyStep('alice creates a channel and an invite', async () => {
    const { page } = alice;
    await page.getByTestId('guild-menu').click();
    await page.getByTestId('menu-create-channel').click();
    await page.getByTestId('channel-name').fill(channelName);
    await page.getByTestId('channel-create-submit').click();
    await page.getByTestId(`channel-${channelName}`).waitFor();
    await expect(page.locator('.pane-header h1').innerText()).resolves.toContain(channelName);
    await shot(page, 'alice-created-channel');

    await page.getByTestId('guild-menu').click();
    await page.getByTestId('menu-invite').click();
    await page.getByTestId('invite-create-submit').click();
    inviteLink = await page.getByTestId('invite-link').inputValue();
    expect(inviteLink).toMatch(/^http:\/\/localhost:8080\/invite\/[A-Za-z0-9]{8,16}$/);
    await shot(page, 'alice-created-invite');
    await page.getByRole('button', { name: 'Done' }).click();
  });

  storyStep('bob opens the invite, sees the guild previewed, and joins', async () => {
    bob = await newUser(browser, 1280, join(shots, 'bob.log'));
    violations.push({ who: 'bob', seen: bob.violations });
    await logIn(bob.page, 'bob', inviteLink);
    await expect(bob.page.getByTestId('invite-guild-name').innerText()).resolves.toBe(guildName);
    await shot(bob.page, 'bob-invite-preview');
    await bob.page.getByTestId('invite-accept').click();
    await bob.page.waitForURL(new RegExp(`/channels/${guildId}/\\d+$`));
    await bob.page.getByTestId(`channel-${channelName}`).click();
    await expect(bob.page.locator('.pane-header h1').innerText()).resolves.toContain(channelName);
    await bob.page.getByTestId('member-alice').waitFor();
    await shot(bob.page, 'bob-joined');
  });

  storyStep('alice and bob exchange messages live, both ways, typing shown', async () => {
    await alice.page.getByTestId(`channel-${channelName}`).click();
    await sendMessage(alice.page, 'hello bob');
    await confirmed(alice.page, 'hello bob').waitFor();
    const firstMessageMs = Date.now() - system.startedAt;
    process.stdout.write(
      `[e2e] from npm start to alice's first confirmed message: ${(firstMessageMs / 1000).toFixed(1)} s\n`,
    );
    await confirmed(bob.page, 'hello bob').waitFor();
    await shot(bob.page, 'bob-sees-alice');

    // bob types: alice sees it before the message comes
    await bob.page.getByTestId('composer').fill('hi alice');
    await alice.page.getByTestId('typing').getByText('Bob Baker is typing…').waitFor();
    await bob.page.getByTestId('composer').press('Enter');
    await confirmed(alice.page, 'hi alice').waitFor();
    await shot(alice.page, 'alice-sees-bob');
  });

  storyStep(
    'a channel alice creates shows on bob’s screen within 2 s, with no reload',
    async () => {
      const { page } = alice;
      await page.getByTestId('guild-menu').click();
      await page.getByTestId('menu-create-channel').click();
      await page.getByTestId('channel-name').fill('announcements');
      const created = page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith(`/guilds/${guildId}/channels`),
      );
      await page.getByTestId('channel-create-submit').click();
      expect((await created).status()).toBe(201);
      // CHANNEL_CREATE on bob's /user/queue/guild-events: no polling, no reload (issue #12)
      await bob.page.getByTestId('channel-announcements').waitFor({ timeout: 2000 });
      await shot(bob.page, 'bob-sees-new-channel-live');
      await page.getByTestId(`channel-${channelName}`).click();
    },
  );

  storyStep(
    'bob goes offline, alice sends three, bob sees each exactly once when back',
    async () => {
      await bob.context.setOffline(true);
      await bob.page.getByTestId('reconnect-banner').waitFor();
      const missed = ['while you were away 1', 'while you were away 2', 'while you were away 3'];
      for (const text of missed) await sendMessage(alice.page, text);
      for (const text of missed) await confirmed(alice.page, text).waitFor();
      await shot(bob.page, 'bob-offline');

      await bob.context.setOffline(false);
      await bob.page
        .getByTestId('reconnect-banner')
        .waitFor({ state: 'detached', timeout: 30_000 });
      for (const text of missed) await confirmed(bob.page, text).waitFor();
      // let any late duplicate (replay overlapping live traffic) arrive before counting
      await bob.page.waitForTimeout(1500);
      const seen = await texts(bob.page);
      for (const text of missed) expect(seen.filter((t) => t === text)).toHaveLength(1);
      expect(seen.filter((t) => t === 'hello bob')).toHaveLength(1);
      await shot(bob.page, 'bob-back-online');
    },
  );

  storyStep('alice edits and deletes a message; bob sees both live', async () => {
    const { page } = alice;
    const edited = confirmed(page, 'while you were away 2');
    await edited.hover();
    await edited.getByRole('button', { name: 'Edit message' }).click();
    await page.getByRole('textbox', { name: 'Edit message' }).fill('while you were away 2, edited');
    await page.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    const gone = confirmed(page, 'while you were away 3');
    await gone.hover();
    await gone.getByRole('button', { name: 'Delete message' }).click();
    await gone.waitFor({ state: 'detached' });

    await confirmed(bob.page, 'while you were away 2, edited').waitFor();
    await expect(
      confirmed(bob.page, 'while you were away 2, edited').innerText(),
    ).resolves.toContain('(edited)');
    await confirmed(bob.page, 'while you were away 3').waitFor({ state: 'detached' });
    await shot(bob.page, 'bob-sees-edit-and-delete');
  });

  storyStep(
    'alice sends markdown; bob sees it rendered, the spoiler hidden until clicked (issue #13)',
    async () => {
      await sendMessage(alice.page, markdownMessage);
      await confirmed(alice.page, 'bold words').waitFor();
      const message = confirmed(bob.page, 'bold words');
      await message.waitFor();
      await expect(message.locator('strong').innerText()).resolves.toBe('bold words');
      const code = message.locator('pre code');
      await expect(code.innerText()).resolves.toBe('const answer = 42;');
      // highlighted once the grammar's chunk has loaded (lazily)
      await code.locator('.hljs-keyword', { hasText: 'const' }).waitFor();
      const spoiler = message.getByRole('button', { name: /^Spoiler/ });
      await expect(
        spoiler.locator('.md-spoiler-content').getAttribute('inert'),
      ).resolves.not.toBeNull();
      await shot(bob.page, 'bob-sees-markdown-spoiler-hidden');
      await spoiler.click();
      await message.locator('.md-spoiler-shown').getByText('secret plan').waitFor();
      await expect(message.getByRole('button', { name: /^Spoiler/ }).count()).resolves.toBe(0);
      await expect(message.locator('[inert]').count()).resolves.toBe(0);
      // a masked link shows its real address before leaving
      await message.getByRole('link', { name: 'the docs' }).click();
      const dialog = bob.page.getByRole('dialog', { name: 'Leaving EchoPulse' });
      await expect(dialog.getByTestId('leaving-address').innerText()).resolves.toBe(
        'https://example.com/docs',
      );
      await shot(bob.page, 'bob-sees-markdown-spoiler-shown-link-dialog');
      await dialog.getByRole('button', { name: 'Go back' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(bob.page.url()).toMatch(/\/channels\//);
    },
  );

  storyStep(
    'a mention in a channel bob is not viewing shows as unread with a badge, until he reads it',
    async () => {
      await bob.page.getByTestId('channel-general').click();
      await bob.page.locator('.pane-header h1').getByText('general').waitFor();
      // alice mentions bob through the @ autocomplete
      await alice.page.getByTestId('composer').pressSequentially('look @Bo');
      await alice.page.getByRole('option', { name: /Bob Baker/ }).waitFor();
      await alice.page.getByTestId('composer').press('Enter'); // picks bob
      await alice.page.getByTestId('composer').pressSequentially('here');
      await alice.page.getByTestId('composer').press('Enter'); // sends
      await confirmed(alice.page, 'look @Bob Baker here').waitFor();

      const talk = bob.page.getByTestId(`channel-${channelName}`);
      await talk.getByLabel('1 mentions').waitFor();
      await expect(talk.locator('..').getAttribute('class')).resolves.toContain('unread');
      await shot(bob.page, 'bob-mention-badge');
      await talk.click();
      await confirmed(bob.page, 'look @Bob Baker here').waitFor();
      await talk.getByLabel('1 mentions').waitFor({ state: 'detached' });
      // the read marker reached chat-service (its read states say so), and a reload shows it read
      const talkId = /\/(\d+)$/.exec(bob.page.url())![1]!;
      const unreadOnServer = () =>
        bob.page.evaluate(async (channelId) => {
          const storage = (globalThis as unknown as { sessionStorage: Record<string, string> })
            .sessionStorage;
          const key = Object.keys(storage).find((k) => k.startsWith('oidc.user:'))!;
          const token = (JSON.parse(storage[key]!) as { access_token: string }).access_token;
          const r = await fetch('/api/chat/users/@me/read-states', {
            headers: { authorization: `Bearer ${token}` },
          });
          const states = (await r.json()) as { channelId: string; unreadCount: number }[];
          return states.find((x) => x.channelId === channelId)?.unreadCount ?? -1;
        }, talkId);
      for (let i = 0; i < 50 && (await unreadOnServer()) !== 0; i++)
        await bob.page.waitForTimeout(200);
      expect(await unreadOnServer()).toBe(0);
      await bob.page.getByTestId('channel-general').click();
      const readStates = bob.page.waitForResponse((r) => r.url().endsWith('/read-states'));
      await bob.page.reload();
      await readStates;
      await bob.page.getByTestId(`channel-${channelName}`).waitFor();
      await expect(
        bob.page.getByTestId(`channel-${channelName}`).locator('..').getAttribute('class'),
      ).resolves.not.toContain('unread');
    },
  );

  storyStep('carol, without the invite, cannot see the guild', async () => {
    const carol = await newUser(browser);
    violations.push({ who: 'carol', seen: carol.violations });
    await logIn(carol.page, 'carol', urls.web);
    await expect(carol.page.getByTestId(`guild-${guildName}`).count()).resolves.toBe(0);
    await carol.page.goto(`${urls.web}/channels/${guildId}`);
    await carol.page.getByText('You are not a member of this server.').waitFor();
    await expect(carol.page.getByTestId(`guild-${guildName}`).count()).resolves.toBe(0);
    // and the API agrees: the guild and its channels are refused
    const status = await carol.page.evaluate(async (id) => {
      // runs in the page: the token oidc-client-ts keeps in sessionStorage
      const storage = (globalThis as unknown as { sessionStorage: Record<string, string> })
        .sessionStorage;
      const key = Object.keys(storage).find((k) => k.startsWith('oidc.user:'));
      const token = key ? (JSON.parse(storage[key]!) as { access_token: string }).access_token : '';
      const r = await fetch(`/api/server/guilds/${id}/channels`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return r.status;
    }, guildId);
    expect([403, 404]).toContain(status);
    await shot(carol.page, 'carol-cannot-see-guild');
    await carol.context.close();
  });

  storyStep('the app is usable 360 px wide', async () => {
    const { page } = bob;
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByTestId('composer').waitFor();
    await expect(page.getByTestId(`channel-${channelName}`).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Open channel list' }).click();
    await page.getByTestId(`channel-${channelName}`).waitFor();
    await shot(page, 'bob-narrow-channel-drawer');
    await page.getByTestId(`channel-${channelName}`).click();
    await page.getByTestId(`channel-${channelName}`).waitFor({ state: 'hidden' });
    // nothing sticks out sideways
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(360);
    await shot(page, 'bob-narrow');
  });

  storyStep('alice kicks bob; his app leaves the guild at once', async () => {
    await bob.page.setViewportSize({ width: 1280, height: 800 });
    const { page } = alice;
    await page.getByTestId('member-bob').click();
    const kicked = page.waitForResponse(
      (r) => r.request().method() === 'DELETE' && r.url().includes(`/guilds/${guildId}/members/`),
    );
    await page.getByRole('button', { name: 'Kick' }).click();
    expect((await kicked).ok()).toBe(true);
    // GUILD_DELETE (reason kicked) on bob's guild events: his app leaves within 2 s (issue #12)
    await bob.page.waitForURL(/\/channels\/@me$/, { timeout: 2000 });
    await page.getByTestId('member-bob').waitFor({ state: 'detached' });
    await bob.page.getByText('You no longer have access to that server.').waitFor();
    await expect(bob.page.getByTestId(`guild-${guildName}`).count()).resolves.toBe(0);
    await shot(bob.page, 'bob-kicked');
  });

  storyStep('bob rejoins; alice bans him and he cannot come back', async () => {
    // a kick is not a ban: the same invite lets bob in again
    await bob.page.goto(inviteLink);
    await bob.page.getByTestId('invite-accept').click();
    await bob.page.waitForURL(new RegExp(`/channels/${guildId}/\\d+$`));
    // GUILD_MEMBER_ADD puts bob back in alice's member list, no reload
    await alice.page.getByTestId('member-bob').waitFor({ timeout: 2000 });
    await alice.page.getByTestId('member-bob').click();
    await alice.page.getByRole('button', { name: 'Ban' }).click();
    await alice.page.getByTestId('member-bob').waitFor({ state: 'detached' });
    await bob.page.waitForURL(/\/channels\/@me$/, { timeout: 30_000 });
    await bob.page.goto(inviteLink);
    // said up front, with no Accept button that could only fail (issue #12 bug 6)
    await expect(bob.page.getByTestId('invite-banned').innerText()).resolves.toMatch(/banned/i);
    await expect(bob.page.getByTestId('invite-accept').count()).resolves.toBe(0);
    await shot(bob.page, 'bob-banned-refused');
  });

  storyStep('alice sees bob in the ban list and unbans him; he can join again', async () => {
    const { page } = alice;
    await page.getByTestId('guild-menu').click();
    await page.getByTestId('menu-settings').click();
    const bans = page.getByTestId('ban-list');
    await bans.getByText('bob').first().waitFor();
    await shot(page, 'alice-ban-list');
    await page.getByRole('button', { name: /^Unban bob/i }).click();
    await page.getByText('Nobody is banned.').waitFor();
    await expect(bans.locator('li').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Close' }).click();

    await bob.page.goto(inviteLink); // the invite page, read again now that he is not banned
    await bob.page.getByTestId('invite-accept').click();
    await bob.page.waitForURL(new RegExp(`/channels/${guildId}/\\d+$`));
    await bob.page.getByTestId(`guild-${guildName}`).waitFor();
    await shot(bob.page, 'bob-unbanned-rejoined');
  });

  storyStep(
    'alice denies bob alone sending in a channel, then removes that overwrite',
    async () => {
      const { page } = alice;
      // alice's app learnt of bob's return at once (GUILD_MEMBER_ADD)
      await page.getByTestId('member-bob').waitFor({ timeout: 2000 });
      await page.getByRole('button', { name: `Edit channel ${channelName}` }).click();
      const editor = page.getByTestId('member-overwrites');
      await editor.locator('summary').click();
      const bobId = await editor.locator('option', { hasText: 'Bob' }).getAttribute('value');
      await editor.getByLabel('Member').selectOption(bobId!);
      await editor.getByRole('button', { name: 'Add member' }).click();
      // bob is in the channel, able to send
      await bob.page.getByTestId(`channel-${channelName}`).click();
      await bob.page.locator('[data-testid=composer]:not([disabled])').waitFor();
      const put = page.waitForResponse(
        (r) => r.request().method() === 'PUT' && r.url().includes(`/permissions/${bobId}`),
      );
      await editor.getByLabel(/^SEND_MESSAGES for Bob/).selectOption('deny');
      expect((await put).status()).toBe(200);
      await shot(page, 'alice-member-overwrite');

      // CHANNEL_UPDATE on bob's guild events: his composer turns read-only within 2 s, before
      // he tries to send, with no reload (issue #12)
      await bob.page.locator('[data-testid=composer][disabled]').waitFor({ timeout: 2000 });
      await shot(bob.page, 'bob-cannot-send');

      const removed = page.waitForResponse(
        (r) => r.request().method() === 'DELETE' && r.url().includes(`/permissions/${bobId}`),
      );
      await editor.getByRole('button', { name: /^Remove permissions for Bob/ }).click();
      expect((await removed).status()).toBe(204);
      await expect(editor.getByText('No member-specific permissions.').isVisible()).resolves.toBe(
        true,
      );
      await bob.page.locator('[data-testid=composer]:not([disabled])').waitFor({ timeout: 2000 });
      await shot(bob.page, 'bob-can-send-again');
    },
  );

  storyStep("no Content-Security-Policy violation in anyone's browser on the app", async () => {
    // logging in through Keycloak, talking over the WebSocket, editing, moderating: all of it
    // ran under the production server's CSP (Keycloak's own pages have Keycloak's policy)
    const onTheApp = violations.flatMap(({ who, seen }) =>
      seen
        .filter((v) => v.documentUri.startsWith(urls.web))
        .map((v) => `${who}: ${v.directive} blocked ${v.blockedUri} on ${v.documentUri}`),
    );
    expect(onTheApp).toEqual([]);
    // the check can see a violation: one provoked on the app's page is reported
    const before = alice.violations.length;
    await alice.page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: {
            body: { append(n: unknown): void };
            createElement(t: string): { src: string };
          };
        }
      ).document;
      const frame = doc.createElement('iframe');
      frame.src = 'https://example.invalid/';
      doc.body.append(frame);
    });
    for (let i = 0; i < 50 && alice.violations.length === before; i++)
      await alice.page.waitForTimeout(100);
    expect(alice.violations.at(-1)).toMatchObject({ directive: 'frame-src' });
  });
});

/**
 * Issue #12, what only a browser can show (jsdom has no layout): scroll anchoring when an older
 * page arrives, sending faster than the rate limit, the 390 px layout and its target sizes, and
 * axe-core on the chat view and each dialog. alice works in a guild of her own in a browser
 * context of her own, so these steps do not depend on the story above. The context bypasses the
 * app's CSP only so that axe-core can be injected (`addScriptTag` adds an inline script).
 */
describe('issue #12 in the browser: history, sending fast, 390 px, axe-core', () => {
  const walkGuild = `Walkthrough ${run}`;
  let page: Page;

  /** Serious and critical axe-core violations on the page as it is now, one line each. */
  async function axeViolations(label: string): Promise<string[]> {
    if (!(await page.evaluate(() => 'axe' in globalThis)))
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const found = await page.evaluate(async () => {
      interface AxeResult {
        violations: {
          id: string;
          impact: string | null;
          help: string;
          nodes: { target: string[] }[];
        }[];
      }
      const axe = (globalThis as unknown as { axe: { run(): Promise<AxeResult> } }).axe;
      const result = await axe.run();
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} (${v.impact}): ${v.help} at ${v.nodes
              .slice(0, 4)
              .map((n) => n.target.join(' '))
              .join(', ')}`,
        );
    });
    return found.map((f) => `${label}: ${f}`);
  }

  /** Controls under 24x24 px on the page as it is now (WCAG 2.5.8), links in a sentence aside. */
  function tooSmall(): Promise<string[]> {
    return page.evaluate(() => {
      // runs in the page: the DOM types are spelt out, this file is compiled without them
      interface Control {
        tagName: string;
        textContent: string | null;
        getAttribute(name: string): string | null;
        closest(selector: string): Control | null;
        getBoundingClientRect(): { width: number; height: number };
      }
      const page = globalThis as unknown as {
        document: { querySelectorAll(selector: string): ArrayLike<Control> };
        getComputedStyle(el: Control): { visibility: string };
      };
      const controls = Array.from(
        page.document.querySelectorAll('button, select, input, textarea, summary, a'),
      );
      return controls
        .filter((el) => {
          const r = el.getBoundingClientRect();
          const visible =
            r.width > 0 && r.height > 0 && page.getComputedStyle(el).visibility !== 'hidden';
          const inline = el.tagName === 'A' && el.closest('p') !== null;
          return visible && !inline && (r.width < 24 || r.height < 24);
        })
        .map((el) => {
          const r = el.getBoundingClientRect();
          const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30);
          return `${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`;
        });
    });
  }

  const focusedTestId = () =>
    page.evaluate(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(name: string): string | null } | null };
          }
        ).document.activeElement?.getAttribute('data-testid') ?? null,
    );

  it('alice sends 60 messages as fast as she can: queued, sent in order, none failed (bug 3)', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      bypassCSP: true,
    });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await logIn(page, 'alice', urls.web);
    await page.getByRole('button', { name: 'Create a server' }).click();
    await page.getByTestId('guild-name').fill(walkGuild);
    await page.getByTestId('guild-create-submit').click();
    await page.waitForURL(/\/channels\/\d+\/\d+$/);
    await page.getByTestId('composer').waitFor();
    // 60 messages against chat-service's 10 per 5 s: one "Sending slowly" state, no failure
    // with its own Retry, and the order kept
    const sent = Array.from({ length: 60 }, (_, i) => `fast ${i + 1}`);
    for (const text of sent) await sendMessage(page, text);
    await page.getByTestId('send-queue').waitFor();
    await expect(page.getByTestId('send-queue').innerText()).resolves.toMatch(
      /^Sending slowly… \d+ queued$/,
    );
    await shot(page, 'walkthrough-sending-slowly');
    await confirmed(page, 'fast 60').waitFor({ timeout: 90_000 });
    await expect(page.getByTestId('message-failed').count()).resolves.toBe(0);
    await expect(texts(page)).resolves.toEqual(sent);
    await page.getByTestId('send-queue').waitFor({ state: 'detached' });
  }, 150_000);

  it('scrolling up into history keeps what the reader looks at exactly in place (bug 1)', async () => {
    await page.reload();
    await confirmed(page, 'fast 60').waitFor();
    // the newest page only: 50 of 60
    await expect(page.getByTestId('message-confirmed').count()).resolves.toBe(50);
    // to the top: the older page loads; where "fast 11" was is where it must stay
    const before = await page.evaluate(() => {
      interface Row {
        textContent: string | null;
        getBoundingClientRect(): { top: number };
      }
      const doc = (
        globalThis as unknown as {
          document: {
            querySelector(selector: string): {
              scrollTop: number;
              querySelectorAll(selector: string): ArrayLike<Row>;
            } | null;
          };
        }
      ).document;
      const list = doc.querySelector('[data-testid="message-list"]')!;
      list.scrollTop = 0;
      // the text itself: the row loses its author line once grouped under "fast 10"
      return Array.from(list.querySelectorAll('[data-testid="message-content"]'))
        .find((a) => a.textContent?.trim() === 'fast 11')!
        .getBoundingClientRect().top;
    });
    await confirmed(page, 'fast 1').first().waitFor();
    await page.waitForTimeout(500); // a late correction of the position would happen by now
    const after = (await confirmed(page, 'fast 11').getByTestId('message-content').boundingBox())!
      .y;
    process.stdout.write(
      `[e2e] "fast 11" before the older page: ${before.toFixed(1)} px, after: ${after.toFixed(1)} px\n`,
    );
    expect(Math.abs(after - before)).toBeLessThanOrEqual(1);
    await shot(page, 'walkthrough-older-page-in-place');
  });

  it('axe-core finds no serious or critical violation on the chat view or in any dialog (bug 4)', async () => {
    // a markdown message (spoiler, code block, masked link: issue #13) is among what is checked
    await sendMessage(page, markdownMessage);
    await confirmed(page, 'bold words').locator('pre code .hljs-keyword').first().waitFor();
    const found: string[] = [...(await axeViolations('chat view'))];
    await confirmed(page, 'bold words').getByRole('link', { name: 'the docs' }).click();
    await page.getByRole('dialog', { name: 'Leaving EchoPulse' }).waitFor();
    found.push(...(await axeViolations('Leaving EchoPulse')));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByTestId('guild-menu').click();
    found.push(...(await axeViolations('server menu')));
    await page.keyboard.press('Escape');
    await expect(focusedTestId()).resolves.toBe('guild-menu');
    const fromMenu: [string, string][] = [
      ['Invite people', 'Invite people'],
      ['Create channel', 'Create channel'],
      ['Create category', 'Create category'],
      ['Server settings', 'Server settings'],
    ];
    for (const [name, item] of fromMenu) {
      await page.getByTestId('guild-menu').click();
      await page.getByRole('menuitem', { name: item }).click();
      await page.getByRole('dialog').waitFor();
      await page.waitForTimeout(300); // what the dialog reads (roles, invites, bans) arrives
      found.push(...(await axeViolations(name)));
      await shot(page, `walkthrough-axe-${name.toLowerCase().replace(/ /g, '-')}`);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      // focus is back on the menu button that opened it
      await expect(focusedTestId()).resolves.toBe('guild-menu');
    }
    await page.getByRole('button', { name: 'Edit channel general' }).click();
    await page.getByRole('dialog').waitFor();
    for (const summary of await page.getByRole('dialog').locator('summary').all())
      await summary.click();
    found.push(...(await axeViolations('Edit channel')));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Create a server' }).click();
    await page.getByRole('dialog').waitFor();
    found.push(...(await axeViolations('Create a server')));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(found).toEqual([]);
  });

  it('at 390 px the permission table scrolls to its last column, and every control is at least 24x24 px (bug 8)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Open channel list' }).click();
    await page.getByRole('button', { name: 'Edit channel general' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    for (const summary of await dialog.locator('summary').all()) await summary.click();
    const table = dialog.getByRole('region', { name: 'Permissions by role' });
    await table.waitFor();
    // the last column can be reached: scrolled to, it lies inside the region and the screen
    await table.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    const region = (await table.boundingBox())!;
    const last = (await table.locator('thead th').last().boundingBox())!;
    expect(last.x).toBeGreaterThanOrEqual(region.x - 1);
    expect(last.x + last.width).toBeLessThanOrEqual(region.x + region.width + 1);
    const box = (await dialog.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await shot(page, 'walkthrough-390-permissions');
    const small = await tooSmall();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Open channel list' }).click();
    small.push(...(await tooSmall()));
    await shot(page, 'walkthrough-390-chat');
    expect(small).toEqual([]);
    await page.context().close();
  });
});

/** Issue #10 item 14: stopping npm start stops every application it started. */
describe('stopping npm start', () => {
  /** Nothing of the applications is left: no process of their groups, their ports free. */
  async function expectAllStopped(stopped: RunningSystem): Promise<void> {
    expect([...stopped.apps.keys()].sort()).toEqual(['chat-service', 'server-service', 'web-vue']);
    for (const [app, pid] of stopped.apps) expect([app, groupAlive(pid)]).toEqual([app, false]);
    for (const port of appPorts) expect([port, await listening(port)]).toEqual([port, false]);
    // the infrastructure keeps running: npm run infra:down stops it
    for (const port of [5432, 6379, 9092, 8180])
      expect([port, await listening(port)]).toEqual([port, true]);
    expect(stopped.output()).toContain('[start] stopped');
  }

  it('by SIGTERM to its pid (kill -TERM) stops server-service, chat-service and the web server', async () => {
    await browser?.close();
    expect(await system.interrupt('SIGTERM')).toBe(0);
    await expectAllStopped(system);
  }, 120_000);

  it(
    'by Ctrl-C (SIGINT to its process group) stops them too',
    async () => {
      const again = await startSystem(shots, 'start-sigint.log');
      try {
        expect(again.apps.size).toBe(3);
        expect(await again.interrupt('SIGINT')).toBe(0);
        await expectAllStopped(again);
      } finally {
        await again.stop();
      }
    },
    10 * 60_000,
  );
});
