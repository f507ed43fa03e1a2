// `npm run dev -w web-vue` (and the root's `npm run dev`): Vite's development server with hot
// reload on 8080, both services behind the same origin as web-vue/server (npm start) and
// nginx.conf (compose.yaml) put them for the built app: the browser never needs CORS.
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const serverService = process.env.SERVER_SERVICE_URL ?? 'http://127.0.0.1:8081';
const chatService = process.env.CHAT_SERVICE_URL ?? 'http://127.0.0.1:8082';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    // the permission rules, the backoff and the STOMP payload types the services use, from their
    // TypeScript sources (no server code in them: none imports anything of Node)
    alias: {
      '@echopulse/chat-contracts': fileURLToPath(
        new URL('../chat-contracts/src/index.ts', import.meta.url),
      ),
      '@echopulse/guild-contracts/permission-rules': fileURLToPath(
        new URL('../guild-contracts/src/permission-rules.ts', import.meta.url),
      ),
      '@echopulse/service-kit/backoff': fileURLToPath(
        new URL('../service-kit/src/backoff/index.ts', import.meta.url),
      ),
    },
  },
  server: {
    host: '127.0.0.1',
    port: 8080,
    strictPort: true,
    warmup: { clientFiles: ['./src/main.ts', './src/views/*.vue'] },
    proxy: {
      '/api/server/': {
        target: serverService,
        rewrite: (path) => path.replace(/^\/api\/server\//, '/api/'),
      },
      '/api/chat/': {
        target: chatService,
        rewrite: (path) => path.replace(/^\/api\/chat\//, '/api/'),
      },
      '/ws': { target: chatService.replace(/^http/, 'ws'), ws: true },
    },
  },
  // Pre-bundle every dependency and transform the app's own files at start-up, so the first
  // visit does not trigger Vite's "new dependencies found, reloading" full page reload.
  optimizeDeps: {
    include: ['vue', 'vue-router', 'pinia', 'oidc-client-ts', '@stomp/stompjs'],
  },
  preview: { host: '127.0.0.1', port: 8080, strictPort: true },
  build: { outDir: 'dist', sourcemap: true },
});
