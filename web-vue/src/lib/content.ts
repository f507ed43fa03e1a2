/**
 * The only URLs a message may link to: http(s), as `URL` parses them (after markdown-it has decoded
 * escapes and entities), so no `javascript:`, `data:` or `vbscript:` URL is ever clickable. The
 * markdown renderer (`components/messages/MessageMarkdown.ts`) passes every href through it.
 */
export function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Whether a message mentions this user (directly or through @everyone). */
export function mentionsUser(
  message: { mentions?: { users: string[]; everyone: boolean } },
  userId: string,
): boolean {
  return Boolean(message.mentions?.everyone || message.mentions?.users.includes(userId));
}
