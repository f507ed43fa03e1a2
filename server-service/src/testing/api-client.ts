import { accessToken, type DevUser } from '@echopulse/infra/testing';

/** Response bodies in tests: whatever JSON came back, checked by the assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny fetch wrapper for the tests: JSON in, JSON (or problem+json) out. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  async request<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    init: { rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: string | undefined = init.rawBody;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = Json>(path: string) => this.request<T>('GET', path);
  post = <T = Json>(path: string, body?: unknown) => this.request<T>('POST', path, body ?? {});
  put = <T = Json>(path: string, body?: unknown) => this.request<T>('PUT', path, body ?? {});
  patch = <T = Json>(path: string, body?: unknown) => this.request<T>('PATCH', path, body ?? {});
  delete = <T = Json>(path: string) => this.request<T>('DELETE', path);
}

export interface User {
  name: DevUser;
  id: string;
  token: string;
  api: ApiClient;
}

/** Logs the dev users in on the real Keycloak once per suite. */
export async function loginAll(baseUrl: string): Promise<Record<DevUser, User>> {
  const names: DevUser[] = ['alice', 'bob', 'carol', 'mod', 'admin'];
  const users = await Promise.all(
    names.map(async (name) => {
      const token = await accessToken(name);
      const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
        sub: string;
      };
      return { name, id: payload.sub, token, api: new ApiClient(`${baseUrl}/api`, token) };
    }),
  );
  return Object.fromEntries(users.map((u) => [u.name, u])) as Record<DevUser, User>;
}
