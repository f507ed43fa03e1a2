import { randomBytes } from 'node:crypto';
import { endpoints } from '@echopulse/infra';
import { keycloakAdminToken, passwordGrant, policyPassword } from '@echopulse/infra/testing';

/**
 * A temporary Keycloak user of the echopulse realm WITHOUT the realm role `user` (its default
 * roles are taken away), logged in through the real password grant; `remove()` deletes it.
 */
export async function userWithoutRealmRoleUser(): Promise<{
  token: string;
  remove(): Promise<void>;
}> {
  const { url, realm } = endpoints.keycloak;
  const admin = await keycloakAdminToken();
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const username = `norole-${randomBytes(4).toString('hex')}`;
  const password = policyPassword();
  const created = await fetch(`${url}/admin/realms/${realm}/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      username,
      enabled: true,
      email: `${username}@echopulse.test`,
      emailVerified: true,
      firstName: 'No',
      lastName: 'Role',
      requiredActions: [],
      credentials: [{ type: 'password', value: password, temporary: false }],
    }),
  });
  if (created.status !== 201)
    throw new Error(`create user: ${created.status} ${await created.text()}`);
  const id = created.headers.get('location')!.split('/').pop()!;
  const remove = async () => {
    await fetch(`${url}/admin/realms/${realm}/users/${id}`, { method: 'DELETE', headers });
  };
  try {
    const mappings = `${url}/admin/realms/${realm}/users/${id}/role-mappings/realm`;
    const roles = (await (await fetch(mappings, { headers })).json()) as { name: string }[];
    const res = await fetch(mappings, { method: 'DELETE', headers, body: JSON.stringify(roles) });
    if (!res.ok) throw new Error(`remove roles: ${res.status}`);
    const token = (await passwordGrant(username, { password })).access_token;
    return { token, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
