import { createPinia, setActivePinia } from 'pinia';
import {
  realmRolesOf,
  resetAuthListeners,
  setAuthManager,
  useAuthStore,
  type AuthManager,
  type AuthUser,
} from './use-auth-store';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (roles: string[], n = 1) =>
  `${b64url({ alg: 'RS256' })}.${b64url({ realm_access: { roles }, n })}.sig`;
const user = (over: Partial<AuthUser> = {}): AuthUser => ({
  access_token: jwt(['user']),
  refresh_token: 'refresh',
  expired: false,
  profile: { sub: 'sub-alice', preferred_username: 'alice', name: 'Alice Archer' },
  ...over,
});

class FakeManager implements AuthManager {
  stored: AuthUser | null = null;
  redirects: unknown[] = [];
  callbacks: string[] = [];
  silent: AuthUser | null | Error = null;
  signedOut = false;
  loaded: ((u: AuthUser) => void)[] = [];
  events = {
    addUserLoaded: (cb: (u: AuthUser) => void) => void this.loaded.push(cb),
    addAccessTokenExpired: () => undefined,
    addSilentRenewError: () => undefined,
  };
  async getUser() {
    return this.stored;
  }
  async signinRedirect(args?: { state?: unknown }) {
    this.redirects.push(args?.state);
  }
  async signinRedirectCallback(url?: string) {
    this.callbacks.push(url ?? '');
    return user({ state: { returnTo: '/invite/abc12345' } });
  }
  async signinSilent() {
    if (this.silent instanceof Error) throw this.silent;
    return this.silent;
  }
  async signoutRedirect() {
    this.signedOut = true;
  }
  async removeUser() {}
}

describe('auth store', () => {
  let manager: FakeManager;
  beforeEach(() => {
    setActivePinia(createPinia());
    resetAuthListeners();
    manager = new FakeManager();
    setAuthManager(manager);
  });
  afterEach(() => setAuthManager(null));

  it('finishes a login redirect and remembers where the person was going', async () => {
    const auth = useAuthStore();
    await auth.init('http://localhost:8080/auth/callback?code=c0de&state=s7');
    expect(manager.callbacks).toEqual(['http://localhost:8080/auth/callback?code=c0de&state=s7']);
    expect(auth.isAuthenticated).toBe(true);
    expect([auth.userId, auth.username, auth.returnTo]).toEqual([
      'sub-alice',
      'alice',
      '/invite/abc12345',
    ]);
  });

  it('restores a stored session, or stays anonymous without one', async () => {
    const auth = useAuthStore();
    await auth.init('http://localhost:8080/channels/@me');
    expect(auth.status).toBe('anonymous');
    manager.stored = user({ access_token: jwt(['user', 'moderator']) });
    await auth.init('http://localhost:8080/channels/@me');
    expect(auth.isAuthenticated).toBe(true);
    expect([auth.isModerator, auth.isAdmin]).toEqual([true, false]);
  });

  it('renews an expired stored token through its refresh token', async () => {
    manager.stored = user({ expired: true });
    manager.silent = user({ access_token: jwt(['user'], 2) });
    const auth = useAuthStore();
    await auth.init('http://localhost:8080/');
    expect(auth.accessToken).toBe(jwt(['user'], 2));
  });

  it('tells listeners about each renewed token (the STOMP session pushes it)', async () => {
    manager.stored = user();
    const auth = useAuthStore();
    await auth.init('http://localhost:8080/');
    const pushed: string[] = [];
    const remove = auth.onTokenRefreshed((t) => pushed.push(t));
    manager.loaded.forEach((cb) => cb(user({ access_token: jwt(['user'], 3) })));
    manager.silent = user({ access_token: jwt(['user'], 4) });
    await expect(auth.refresh()).resolves.toBe(jwt(['user'], 4));
    remove();
    manager.loaded.forEach((cb) => cb(user({ access_token: jwt(['user'], 5) })));
    expect(pushed).toEqual([jwt(['user'], 3), jwt(['user'], 4)]);
  });

  it('gives up renewing when the refresh fails, and logs out through Keycloak', async () => {
    manager.stored = user();
    manager.silent = new Error('invalid_grant');
    const auth = useAuthStore();
    await auth.init('http://localhost:8080/');
    await expect(auth.refresh()).resolves.toBeNull();
    await auth.login('/channels/1');
    expect(manager.redirects).toEqual([{ returnTo: '/channels/1' }]);
    await auth.logout();
    expect([auth.isAuthenticated, manager.signedOut]).toEqual([false, true]);
  });

  it('reads realm roles from the access token, and none from garbage', () => {
    expect(realmRolesOf(jwt(['user', 'admin']))).toEqual(['user', 'admin']);
    expect(realmRolesOf('not-a-jwt')).toEqual([]);
  });
});
