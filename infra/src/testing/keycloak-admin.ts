import { randomBytes } from 'node:crypto';
import { endpoints } from '../endpoints';

/** An access token of Keycloak's bootstrap admin (master realm, `admin-cli`), for the admin REST API. */
export async function keycloakAdminToken(): Promise<string> {
  const { url, adminUser, adminPassword } = endpoints.keycloak;
  const res = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: adminUser,
      password: adminPassword,
    }),
  });
  if (!res.ok)
    throw new Error(
      `Keycloak admin login failed: ${res.status} ${await res.text()} — is Keycloak up (npm run infra:status)?`,
    );
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * A password the dev realm's password policy accepts (see keycloak/README.md): 24 characters,
 * never the username or the email.
 */
export const policyPassword = (): string => randomBytes(12).toString('hex');

export interface ThrowawayUser {
  id: string;
  username: string;
  password: string;
  /** Deletes the user (idempotent). */
  remove(): Promise<void>;
}

/** Answer of Keycloak's admin API when it refuses to create a user. */
export class KeycloakAdminError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

/**
 * Creates a user of the echopulse realm through the admin REST API — for tests that must not
 * touch the shared dev users (e.g. failing logins on purpose). Remove it when done.
 */
export async function createThrowawayUser(
  options: { username?: string; password?: string } = {},
): Promise<ThrowawayUser> {
  const { url, realm } = endpoints.keycloak;
  const headers = {
    authorization: `Bearer ${await keycloakAdminToken()}`,
    'content-type': 'application/json',
  };
  const username = options.username ?? `tmp-${randomBytes(4).toString('hex')}`;
  const password = options.password ?? policyPassword();
  const res = await fetch(`${url}/admin/realms/${realm}/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      username,
      enabled: true,
      email: `${username}@echopulse.test`,
      emailVerified: true,
      firstName: 'Throwaway',
      lastName: username,
      requiredActions: [],
      credentials: [{ type: 'password', value: password, temporary: false }],
    }),
  });
  if (res.status !== 201) {
    const body = await res.text();
    throw new KeycloakAdminError(
      `Keycloak refused to create user ${username}: ${res.status} ${body}`,
      res.status,
      body,
    );
  }
  const id = res.headers.get('location')!.split('/').pop()!;
  return {
    id,
    username,
    password,
    async remove() {
      await fetch(`${url}/admin/realms/${realm}/users/${id}`, { method: 'DELETE', headers });
    },
  };
}
