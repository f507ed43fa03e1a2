import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * How the gateway tells a WebSocket's client address (what WS_MAX_PENDING_PER_IP counts) from
 * its upgrade request. Behind a reverse proxy every socket comes from the proxy, so all browsers
 * would share one allowance; `proxy-addr` walks X-Forwarded-For from the socket's peer back past
 * the proxies we trust, the way Express's `trust proxy` does. Nobody trusted: the peer address.
 */
export function clientAddressOf(
  trusted: readonly string[],
): ((request: IncomingMessage) => string | undefined) | undefined {
  if (trusted.length === 0) return undefined;
  const trust = proxyAddr.compile([...trusted]);
  return (request) => proxyAddr(request, trust);
}
