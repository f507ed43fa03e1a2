import { appConfig } from '../lib/config';
import type { ProblemDocument } from '../lib/types';
import { useAuthStore } from '../stores/use-auth-store';

/**
 * An RFC 9457 problem document as both services answer errors (`ProblemDocument` in their specs),
 * every field optional: a proxy's error page or an empty body leaves only the status.
 */
export type Problem = Partial<ProblemDocument>;

/** A failed request, with what to tell the person in `plain`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly problem: Problem;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, problem: Problem, retryAfterSeconds?: number) {
    super(plainWords(status, problem, retryAfterSeconds));
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The sentence to show. */
  get plain(): string {
    return this.message;
  }
}

/** A request that never got an answer (server down, network cut). Status 0. */
export class NetworkError extends ApiError {
  constructor() {
    super(0, { code: 'network' });
    this.name = 'NetworkError';
  }
}

const byCode: Record<string, string> = {
  network: "Can't reach EchoPulse right now. Check your connection and try again.",
  missing_permission: "You don't have permission to do that here.",
  permissions_not_held: "You can't grant permissions you don't have yourself.",
  role_hierarchy: 'That role is above your highest role, so you cannot change it.',
  member_hierarchy: "That member's highest role is not below yours, so you cannot do that.",
  not_owner: 'Only the server owner can do that.',
  owner_cannot_leave: 'You own this server: transfer it or delete it instead of leaving.',
  already_member: "You're already a member of this server.",
  unknown_invite: 'This invite is invalid or has expired.',
  kick_self: "You can't kick yourself — leave the server instead.",
  realm_role_missing: 'Your account is not allowed to use EchoPulse yet. Ask an administrator.',
  token_missing: 'Your session has ended. Please log in again.',
  body_too_large: 'That is too long.',
};

const byStatus: Record<number, string> = {
  400: 'That request was not accepted.',
  401: 'Your session has ended. Please log in again.',
  403: "You don't have permission to do that.",
  404: "That doesn't exist any more, or you can't see it.",
  409: 'That conflicts with a change someone just made. Refresh and try again.',
  413: 'That is too large.',
  422: 'That could not be saved as it is.',
  429: "You're doing that too fast.",
  503: 'EchoPulse is busy or restarting. Try again in a moment.',
};

/**
 * Turns a problem document into one sentence for a person: a known code's own wording, else the
 * status's, plus the server's `detail` (written for people) and the first invalid field.
 */
export function plainWords(status: number, problem: Problem, retryAfterSeconds?: number): string {
  const base =
    (problem.code && byCode[problem.code]) ||
    byStatus[status] ||
    (status >= 500
      ? 'Something went wrong on our side. Try again in a moment.'
      : 'That did not work.');
  const parts = [base];
  const field = problem.errors && Object.entries(problem.errors)[0];
  if (field) {
    const name = field[0].replace(/^body\./, '');
    parts.push(`${name}: ${field[1].message ?? 'invalid'}.`);
  } else if (problem.detail && status < 500 && !(problem.code && byCode[problem.code])) {
    parts.push(problem.detail.endsWith('.') ? problem.detail : `${problem.detail}.`);
  }
  if (status === 429 && retryAfterSeconds) parts.push(`Try again in ${retryAfterSeconds} s.`);
  return parts.join(' ');
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T = void>(path: string): Promise<T>;
}

export interface ApiClientOptions {
  baseUrl: string;
  getToken: () => Promise<string | null>;
  /** Called once on a 401; the new token, or null to give up. */
  refreshToken?: () => Promise<string | null>;
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));

  async function send(method: string, path: string, body: unknown, token: string | null) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new NetworkError();
    }
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response = await send(method, path, body, await options.getToken());
    if (response.status === 401 && options.refreshToken) {
      const token = await options.refreshToken();
      if (token) response = await send(method, path, body, token);
    }
    const text = await response.text();
    if (!response.ok) {
      let problem: Problem = {};
      try {
        problem = text ? (JSON.parse(text) as Problem) : {};
      } catch {
        /* a proxy's HTML error page: the status alone speaks */
      }
      const retryAfter = Number(response.headers.get('retry-after')) || undefined;
      // The dev proxy answers 502/504 while a service is down: that is "can't reach".
      if (response.status === 502 || response.status === 504) throw new NetworkError();
      throw new ApiError(response.status, problem, retryAfter);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    patch: (path, body) => request('PATCH', path, body),
    delete: (path) => request('DELETE', path),
  };
}

export interface Apis {
  server: ApiClient;
  chat: ApiClient;
}

let provided: Apis | null = null;

/** Replaces the clients (tests, or another deployment's addresses). */
export function provideApi(apis: Apis | null): void {
  provided = apis;
}

/** server-service and chat-service clients that carry the signed-in user's token. */
export function useApi(): Apis {
  if (provided) return provided;
  const auth = useAuthStore();
  const common = {
    getToken: async () => auth.accessToken,
    refreshToken: () => auth.refresh(),
  };
  provided = {
    server: createApiClient({ baseUrl: appConfig.serverApi, ...common }),
    chat: createApiClient({ baseUrl: appConfig.chatApi, ...common }),
  };
  return provided;
}

/** The sentence to show for any error thrown by an action. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.plain;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}
