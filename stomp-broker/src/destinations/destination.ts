/** The kinds of destination a client may subscribe to (application destinations are SEND-only). */
export type DestinationKind = 'topic' | 'queue' | 'user';

/** `/topic/…`, `/queue/…` or `/user/…`; undefined for anything else. */
export function destinationKind(destination: string): DestinationKind | undefined {
  if (destination.startsWith('/topic/') && destination.length > 7) return 'topic';
  if (destination.startsWith('/queue/') && destination.length > 7) return 'queue';
  if (destination.startsWith('/user/') && destination.length > 6) return 'user';
  return undefined;
}

/**
 * Splits a SEND destination `/user/{name}/queue/x` into the principal and the destination the
 * user subscribed to below `/user` (`/queue/x`), as Spring's UserDestinationMessageHandler does.
 */
export function parseUserDestination(
  destination: string,
): { user: string; destination: string } | undefined {
  const match = /^\/user\/([^/]+)(\/.+)$/.exec(destination);
  if (!match) return undefined;
  let user = match[1]!;
  try {
    user = decodeURIComponent(user);
  } catch {
    // kept as sent
  }
  return { user, destination: match[2]! };
}
