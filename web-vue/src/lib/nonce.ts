/** A client nonce for one send: unique per user, ≤ 64 characters (chat-service's limit). */
export function makeNonce(now: number = Date.now(), random: () => number = Math.random): string {
  return `${now.toString(36)}-${Math.floor(random() * 2 ** 52).toString(36)}`;
}
