import { defineStore } from 'pinia';
import { appConfig } from '../lib/config';

/** The part of oidc-client-ts's `User` the app reads. */
export interface AuthUser {
  access_token: string;
  refresh_token?: string;
  expires_at?: number;
  expired?: boolean;
  state?: unknown;
  profile: { sub: string; preferred_username?: string; name?: string };
}

/**
 * The part of oidc-client-ts's `UserManager` the app uses, so tests can hand in a fake and the
 * store never touches the browser itself.
 */
export interface AuthManager {
  getUser(): Promise<AuthUser | null>;
  signinRedirect(args?: { state?: unknown }): Promise<void>;
  signinRedirectCallback(url?: string): Promise<AuthUser>;
  signinSilent(): Promise<AuthUser | null>;
  signoutRedirect(): Promise<void>;
  removeUser(): Promise<void>;
  events: {
    addUserLoaded(cb: (user: AuthUser) => void): void;
    addAccessTokenExpired(cb: () => void): void;
    addSilentRenewError(cb: (error: Error) => void): void;
  };
}

let manager: AuthManager | null = null;

/** Sets the OIDC client (main.ts: oidc-client-ts's UserManager; tests: a fake). */
export function setAuthManager(value: AuthManager | null): void {
  manager = value;
}

function requireManager(): AuthManager {
  if (!manager) throw new Error('the login client is not configured');
  return manager;
}

/** Realm roles from the access token (`realm_access.roles`); shown, never trusted by servers. */
export function realmRolesOf(accessToken: string): string[] {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const json = JSON.parse(
      globalThis.atob(
        payload
          .replace(/-/g, '+')
          .replace(/_/g, '/')
          .padEnd(Math.ceil(payload.length / 4) * 4, '='),
      ),
    ) as { realm_access?: { roles?: string[] } };
    return json.realm_access?.roles ?? [];
  } catch {
    return [];
  }
}

type TokenListener = (token: string) => void;

export const useAuthStore = defineStore('auth', {
  state: () => ({
    status: 'idle' as 'idle' | 'loading' | 'authenticated' | 'anonymous',
    accessToken: null as string | null,
    userId: null as string | null,
    username: null as string | null,
    displayName: null as string | null,
    roles: [] as string[],
    error: null as string | null,
    /** Where to go after logging in (the page that asked for it). */
    returnTo: null as string | null,
  }),
  getters: {
    isAuthenticated: (s) => s.status === 'authenticated' && !!s.accessToken,
    isModerator: (s) => s.roles.includes('moderator') || s.roles.includes('admin'),
    isAdmin: (s) => s.roles.includes('admin'),
    accountUrl: () => appConfig.accountUrl,
  },
  actions: {
    /** Adopts a (new) user from the OIDC client and tells token listeners. */
    adopt(user: AuthUser | null) {
      if (!user || user.expired) {
        this.$patch({ status: 'anonymous', accessToken: null, userId: null, roles: [] });
        return;
      }
      const changed = this.accessToken !== null && this.accessToken !== user.access_token;
      this.$patch({
        status: 'authenticated',
        accessToken: user.access_token,
        userId: user.profile.sub,
        username: user.profile.preferred_username ?? user.profile.sub,
        displayName: user.profile.name ?? user.profile.preferred_username ?? null,
        roles: realmRolesOf(user.access_token),
        error: null,
      });
      if (changed) for (const listener of tokenListeners) listener(user.access_token);
    },

    /**
     * Starts the session: finishes a login redirect when the URL carries one, else restores the
     * stored user. Silent renewal (refresh token) keeps it alive; each new token reaches
     * `onTokenRefreshed` listeners (the STOMP session).
     */
    async init(currentUrl: string) {
      const m = requireManager();
      this.status = 'loading';
      if (!subscribed) {
        subscribed = true;
        m.events.addUserLoaded((user) => this.adopt(user));
        m.events.addAccessTokenExpired(() => void this.refresh());
        m.events.addSilentRenewError((error) => {
          this.error = `Could not renew your session (${error.message}).`;
        });
      }
      try {
        const url = new URL(currentUrl);
        if (url.searchParams.has('code') && url.searchParams.has('state')) {
          const user = await m.signinRedirectCallback(currentUrl);
          this.adopt(user);
          const state = user.state as { returnTo?: string } | undefined;
          this.returnTo = state?.returnTo ?? '/';
          return;
        }
        const stored = await m.getUser();
        this.adopt(stored);
        if (stored?.expired && stored.refresh_token) {
          // an expired stored token may still have a valid refresh token
          const renewed = await this.refresh();
          if (!renewed) this.status = 'anonymous';
        }
      } catch (error) {
        this.status = 'anonymous';
        this.error = `Login failed: ${(error as Error).message}`;
      }
    },

    async login(returnTo = '/') {
      await requireManager().signinRedirect({ state: { returnTo } });
    },

    /** A fresh token through the refresh token; null when the session is over. */
    async refresh(): Promise<string | null> {
      try {
        const m = requireManager();
        // only through the refresh token: without one the session is over (log in again)
        if (!(await m.getUser())?.refresh_token) return null;
        const user = await m.signinSilent();
        this.adopt(user);
        return user?.access_token ?? null;
      } catch {
        return null;
      }
    },

    async logout() {
      const m = requireManager();
      this.adopt(null);
      try {
        await m.signoutRedirect();
      } catch {
        await m.removeUser();
      }
    },

    /** Registers a listener for renewed tokens; returns its remover. */
    onTokenRefreshed(listener: TokenListener): () => void {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
  },
});

let subscribed = false;
const tokenListeners = new Set<TokenListener>();

/** For tests: forget listeners registered by an earlier store instance. */
export function resetAuthListeners(): void {
  subscribed = false;
  tokenListeners.clear();
}
