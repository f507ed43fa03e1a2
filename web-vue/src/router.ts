import { createRouter, createWebHistory } from 'vue-router';
import { useAuthStore } from './stores/use-auth-store';

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', redirect: '/channels/@me' },
      { path: '/auth/callback', component: () => import('./views/LoadingView.vue') },
      { path: '/login-failed', component: () => import('./views/LoadingView.vue') },
      {
        path: '/channels/:guildId/:channelId?',
        name: 'chat',
        component: () => import('./views/ChatView.vue'),
      },
      { path: '/invite/:code', name: 'invite', component: () => import('./views/InviteView.vue') },
      { path: '/:rest(.*)*', redirect: '/channels/@me' },
    ],
  });
  router.beforeEach(async (to) => {
    const auth = useAuthStore();
    if (to.path === '/auth/callback' || to.path === '/login-failed') return true;
    if (!auth.isAuthenticated) {
      try {
        await auth.login(to.fullPath);
      } catch (error) {
        auth.error = `Cannot reach the login service (${(error as Error).message}). Try again in a moment.`;
        return '/login-failed';
      }
      return false;
    }
    return true;
  });
  return router;
}
