import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { appConfig } from './lib/config';
import { createAppRouter } from './router';
import { setAuthManager, useAuthStore, type AuthManager } from './stores/use-auth-store';
import './styles.css';

// Authorization code + PKCE (S256) against the realm; the refresh token renews silently, no iframe.
const userManager = new UserManager({
  authority: appConfig.authority,
  client_id: appConfig.clientId,
  redirect_uri: `${window.location.origin}/auth/callback`,
  post_logout_redirect_uri: `${window.location.origin}/`,
  response_type: 'code',
  scope: 'openid profile',
  automaticSilentRenew: true,
  userStore: new WebStorageStateStore({ store: window.sessionStorage }),
});
setAuthManager(userManager as unknown as AuthManager);

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);

const auth = useAuthStore();
void auth.init(window.location.href).then(() => {
  const router = createAppRouter();
  app.use(router);
  // after a login redirect, leave the callback URL (its code is single-use) for where we were going
  const start = window.location.pathname === '/auth/callback' ? (auth.returnTo ?? '/') : undefined;
  if (start) void router.replace(start);
  app.mount('#app');
});
