/**
 * Where the app finds Keycloak and the services. The services sit behind the app's own origin
 * (Vite's proxy under `npm start`, nginx in compose.yaml), so only Keycloak has an address of its
 * own: the issuer both services verify, http://127.0.0.1:8180/realms/echopulse.
 */
export const appConfig = {
  authority: 'http://127.0.0.1:8180/realms/echopulse',
  clientId: 'web-vue',
  serverApi: '/api/server',
  chatApi: '/api/chat',
  /** Keycloak's account console, linked from the user panel. */
  accountUrl: 'http://127.0.0.1:8180/realms/echopulse/account',
};

/** The STOMP endpoint on the page's own origin (ws:// or wss:// to match the page). */
export function webSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
