/**
 * Message content as segments the template renders as text nodes and anchors — never as HTML.
 * Only http(s) links become anchors (so no `javascript:` or `data:` URL is ever clickable);
 * `<@userId>` and `@everyone` become mentions.
 */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; userId: string }
  | { kind: 'everyone' };

const pattern = /(https?:\/\/[^\s<>"']+)|<@([A-Za-z0-9_-]{1,64})>|(@everyone)\b/g;

/** Trailing punctuation that ends a sentence rather than a URL. */
const trailing = /[.,;:!?)\]]+$/;

export function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function parseContent(content: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  const push = (text: string) => {
    if (!text) return;
    const prev = out[out.length - 1];
    if (prev?.kind === 'text') prev.text += text;
    else out.push({ kind: 'text', text });
  };
  for (const match of content.matchAll(pattern)) {
    const index = match.index ?? 0;
    push(content.slice(last, index));
    last = index + match[0].length;
    if (match[1]) {
      const tail = trailing.exec(match[1])?.[0] ?? '';
      const text = tail ? match[1].slice(0, -tail.length) : match[1];
      const href = safeHref(text);
      if (href) out.push({ kind: 'link', text, href });
      else push(text);
      push(tail);
    } else if (match[2]) {
      out.push({ kind: 'mention', userId: match[2] });
    } else {
      out.push({ kind: 'everyone' });
    }
  }
  push(content.slice(last));
  return out;
}

/** Whether a message mentions this user (directly or through @everyone). */
export function mentionsUser(
  message: { mentions?: { users: string[]; everyone: boolean } },
  userId: string,
): boolean {
  return Boolean(message.mentions?.everyone || message.mentions?.users.includes(userId));
}
