// The production web server's settings, read once from the environment (only here).
import { basename, join } from 'node:path';

/** web-vue/, from its sources (server/) or its build (server/dist/). */
const webVue = join(__dirname, basename(__dirname) === 'dist' ? '../..' : '..');

export interface WebServerConfig {
  /** Interface to listen on: loopback unless told otherwise (a container sets 0.0.0.0). */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The built app (`vite build` output). */
  distDir: string;
  /** Where `/api/server/…` goes (as `/api/…`). */
  serverServiceUrl: string;
  /** Where `/api/chat/…` (as `/api/…`) and the `/ws` WebSocket go. */
  chatServiceUrl: string;
  /** Keycloak, which the app logs in with: allowed as a connect and frame source by the CSP. */
  keycloakOrigin: string;
}

export class WebServerConfigError extends Error {
  override name = 'WebServerConfigError';
}

function url(env: NodeJS.ProcessEnv, key: string, fallback: string): string {
  const value = env[key] ?? fallback;
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
    return parsed.origin;
  } catch {
    throw new WebServerConfigError(
      `${key} must be an http(s) URL such as ${fallback}, not "${value}"`,
    );
  }
}

/**
 * Defaults are the machine's own services as `npm start` runs them (and the Keycloak of
 * src/lib/config.ts, which the test checks); every value can be set by environment variable.
 */
export function readWebServerConfig(env: NodeJS.ProcessEnv = process.env): WebServerConfig {
  const port = Number(env.PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new WebServerConfigError(`PORT must be a TCP port (0-65535), not "${env.PORT}"`);
  }
  return {
    host: env.HOST || '127.0.0.1',
    port,
    distDir: env.WEB_DIST_DIR || join(webVue, 'dist'),
    serverServiceUrl: url(env, 'SERVER_SERVICE_URL', 'http://127.0.0.1:8081'),
    chatServiceUrl: url(env, 'CHAT_SERVICE_URL', 'http://127.0.0.1:8082'),
    keycloakOrigin: url(env, 'KEYCLOAK_URL', 'http://127.0.0.1:8180'),
  };
}
