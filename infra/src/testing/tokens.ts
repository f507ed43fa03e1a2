import { endpoints } from '../endpoints';

export type DevUser = 'alice' | 'bob' | 'carol' | 'mod' | 'admin';

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/**
 * Logs a dev user in with the password grant (enabled for the dev realm's public clients only),
 * the way tests get real access tokens from the real Keycloak.
 */
export async function passwordGrant(
  username: DevUser | string,
  options: { clientId?: string; password?: string } = {},
): Promise<TokenResponse> {
  const { url, realm } = endpoints.keycloak;
  const res = await fetch(`${url}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: options.clientId ?? 'web-vue',
      username,
      password: options.password ?? 'echopulse',
      scope: 'openid',
    }),
  });
  if (!res.ok)
    throw new Error(`password grant for ${username} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenResponse;
}

/** Just the access token of a dev user. */
export const accessToken = async (username: DevUser | string, clientId?: string): Promise<string> =>
  (await passwordGrant(username, clientId ? { clientId } : {})).access_token;
