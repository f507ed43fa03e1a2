import { endpoints } from '@echopulse/infra';
import { createThrowawayUser, keycloakAdminToken, passwordGrant } from '@echopulse/infra/testing';

/**
 * A temporary Keycloak user of the echopulse realm WITHOUT the realm role `user` (its default
 * roles are taken away), logged in through the real password grant; `remove()` deletes it.
 */
export async function userWithoutRealmRoleUser(): Promise<{
  token: string;
  remove(): Promise<void>;
}> {
  const { url, realm } = endpoints.keycloak;
  const user = await createThrowawayUser();
  try {
    const headers = {
      authorization: `Bearer ${await keycloakAdminToken()}`,
      'content-type': 'application/json',
    };
    const mappings = `${url}/admin/realms/${realm}/users/${user.id}/role-mappings/realm`;
    const roles = (await (await fetch(mappings, { headers })).json()) as { name: string }[];
    const res = await fetch(mappings, { method: 'DELETE', headers, body: JSON.stringify(roles) });
    if (!res.ok) throw new Error(`remove roles: ${res.status}`);
    const token = (await passwordGrant(user.username, { password: user.password })).access_token;
    return { token, remove: () => user.remove() };
  } catch (error) {
    await user.remove();
    throw error;
  }
}
