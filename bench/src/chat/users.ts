// Simulated users are real Keycloak users of the dev realm (bench-0001, …), created once through
// the admin API and kept, so later runs only log in.
import { endpoints } from '@echopulse/infra';
import { keycloakAdminToken, passwordGrant } from '@echopulse/infra/testing';

export const benchPassword = 'bench-echopulse';
export const benchUsername = (i: number) => `bench-${String(i + 1).padStart(4, '0')}`;

export interface BenchUser {
  username: string;
  id: string;
  token: string;
}

/** Runs `task` over `items` with at most `limit` at a time, reporting progress every 2 s. */
export async function pool<T, R>(
  what: string,
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  log: (line: string) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const started = Date.now();
  const ticker = setInterval(
    () => log(`${what}: ${done}/${items.length} (${((Date.now() - started) / 1000).toFixed(0)} s)`),
    2000,
  );
  try {
    await Promise.all(
      Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
          const i = next++;
          results[i] = await task(items[i]!, i);
          done++;
        }
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  log(`${what}: ${items.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return results;
}

/** Creates the missing bench users (the first run only; Keycloak keeps them). */
export async function ensureBenchUsers(count: number, log: (line: string) => void): Promise<void> {
  const { url, realm } = endpoints.keycloak;
  const headers = {
    authorization: `Bearer ${await keycloakAdminToken()}`,
    'content-type': 'application/json',
  };
  const existing = new Set<string>();
  for (let first = 0; ; first += 1000) {
    const res = await fetch(
      `${url}/admin/realms/${realm}/users?search=bench-&briefRepresentation=true&first=${first}&max=1000`,
      { headers },
    );
    if (!res.ok) throw new Error(`listing users failed: ${res.status}`);
    const page = (await res.json()) as { username: string }[];
    page.forEach((u) => existing.add(u.username));
    if (page.length < 1000) break;
  }
  const missing = Array.from({ length: count }, (_, i) => benchUsername(i)).filter(
    (u) => !existing.has(u),
  );
  if (missing.length === 0) return;
  log(`creating ${missing.length} Keycloak users (once; later runs reuse them)`);
  await pool(
    'users created',
    missing,
    4,
    async (username) => {
      const res = await fetch(`${url}/admin/realms/${realm}/users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          username,
          enabled: true,
          email: `${username}@bench.echopulse.test`,
          emailVerified: true,
          firstName: 'Bench',
          lastName: username.slice(6),
          requiredActions: [],
          credentials: [{ type: 'password', value: benchPassword, temporary: false }],
        }),
      });
      if (res.status !== 201 && res.status !== 409)
        throw new Error(`creating ${username} failed: ${res.status} ${await res.text()}`);
    },
    log,
  );
}

/** Logs every bench user in (password grant through the web-vue client). */
export async function logIn(count: number, log: (line: string) => void): Promise<BenchUser[]> {
  return pool(
    'logged in',
    Array.from({ length: count }, (_, i) => benchUsername(i)),
    6,
    async (username) => {
      const { access_token: token } = await passwordGrant(username, { password: benchPassword });
      const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
        sub: string;
      };
      return { username, id: payload.sub, token };
    },
    log,
  );
}
