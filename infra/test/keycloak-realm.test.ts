import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpoints } from '../src/endpoints';
import { repoRoot } from '../src/paths';
import { passwordGrant, type DevUser } from '../src/testing';
import {
  createThrowawayUser,
  KeycloakAdminError,
  keycloakAdminToken,
  policyPassword,
} from '../src/testing/keycloak-admin';

const { url, realm } = endpoints.keycloak;
const realmFile = JSON.parse(
  readFileSync(join(repoRoot, 'keycloak/realm-export.json'), 'utf8'),
) as Record<string, unknown>;

/** One password-grant attempt through the web-vue client: the status and the OAuth error. */
async function logIn(username: string, password: string): Promise<[number, string?, string?]> {
  const res = await fetch(`${url}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'web-vue', username, password }),
  });
  const body = (await res.json()) as { error?: string; error_description?: string };
  return [res.status, body.error, body.error_description];
}

/** What Keycloak answers when asked to create a user with this username and password. */
async function refusal(username: string, password: string): Promise<KeycloakAdminError> {
  try {
    const user = await createThrowawayUser({ username, password });
    await user.remove();
  } catch (error) {
    if (error instanceof KeycloakAdminError) return error;
    throw error;
  }
  throw new Error(`Keycloak accepted the password ${JSON.stringify(password)} for ${username}`);
}

async function userExists(username: string): Promise<boolean> {
  const res = await fetch(
    `${url}/admin/realms/${realm}/users?exact=true&username=${encodeURIComponent(username)}`,
    { headers: { authorization: `Bearer ${await keycloakAdminToken()}` } },
  );
  return ((await res.json()) as unknown[]).length > 0;
}

describe('the echopulse realm', () => {
  it('locks a user out after repeated wrong passwords: 10 wrong, then the right one is refused', async () => {
    // A throw-away user: failing logins of a shared dev user would lock other suites out.
    const user = await createThrowawayUser();
    try {
      expect((await logIn(user.username, user.password))[0]).toBe(200);
      const refused = [400, 'invalid_grant', 'Invalid user credentials'];
      for (let i = 0; i < 10; i++)
        expect(await logIn(user.username, `wrong-${i}-${user.password}`)).toEqual(refused);
      // Keycloak does not say "locked" (that would tell an attacker which guesses reach a real
      // account): while the lockout lasts, the right password gets the answer a wrong one gets.
      expect(await logIn(user.username, user.password)).toEqual(refused);
    } finally {
      await user.remove();
    }
  });

  it('refuses, through the admin API, a password that breaks the policy, and creates nothing', async () => {
    const name = `policy-${randomBytes(4).toString('hex')}`;
    expect((await refusal(name, 'echopulse')).body).toMatch(/invalidPasswordMinLength/);
    const longName = `policy-check-${randomBytes(4).toString('hex')}`;
    expect((await refusal(longName, longName)).body).toMatch(/invalidPasswordNotUsername/);
    expect((await refusal(longName, `${longName}@echopulse.test`)).body).toMatch(
      /invalidPasswordNotEmail/,
    );
    expect(await userExists(name)).toBe(false);
    expect(await userExists(longName)).toBe(false);

    // Resetting a password is held to the same policy.
    const user = await createThrowawayUser();
    try {
      const res = await fetch(`${url}/admin/realms/${realm}/users/${user.id}/reset-password`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${await keycloakAdminToken()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ type: 'password', value: 'short', temporary: false }),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/invalidPasswordMinLength/);
      expect((await logIn(user.username, user.password))[0]).toBe(200);
      expect(policyPassword()).toHaveLength(24);
    } finally {
      await user.remove();
    }
  });

  it('still lets every dev user log in with the dev password, which predates the policy', async () => {
    const users: DevUser[] = ['alice', 'bob', 'carol', 'mod', 'admin'];
    for (const user of users) await expect(passwordGrant(user)).resolves.toBeDefined();
  });

  it('lets one user log in from parallel requests (test suites share the dev users)', async () => {
    // Keycloak's brute-force detector refuses a login while another of the same user is in
    // progress unless the dev server allows it (infra/src/servers/keycloak.ts).
    const user = await createThrowawayUser();
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => logIn(user.username, user.password)),
      );
      expect(answers.map(([status]) => status)).toEqual(Array(8).fill(200));
    } finally {
      await user.remove();
    }
  });

  it('runs with the brute-force settings and password policy of keycloak/realm-export.json', async () => {
    const res = await fetch(`${url}/admin/realms/${realm}`, {
      headers: { authorization: `Bearer ${await keycloakAdminToken()}` },
    });
    const live = (await res.json()) as Record<string, unknown>;
    const keys = [
      'bruteForceProtected',
      'permanentLockout',
      'failureFactor',
      'waitIncrementSeconds',
      'maxFailureWaitSeconds',
      'maxDeltaTimeSeconds',
      'quickLoginCheckMilliSeconds',
      'minimumQuickLoginWaitSeconds',
      'passwordPolicy',
    ];
    const pick = (o: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, o[k]]));
    expect(realmFile.bruteForceProtected).toBe(true);
    expect(pick(live)).toEqual(pick(realmFile));
  });
});
