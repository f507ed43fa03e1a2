/** One `:shortcode:` and the emoji it stands for. */
export interface ShortcodeEmoji {
  shortcode: string;
  emoji: string;
}

/**
 * `:shortcode:` emoji for the composer, from gemoji (GitHub's shortcodes, which Discord's mostly
 * share: `:smile:`, `:+1:`, `:tada:`). The data (~350 kB before compression) is a chunk of its
 * own, fetched the first time someone types `:` and two letters, never in the first visit's
 * bundle.
 */
let index: Promise<ShortcodeEmoji[]> | null = null;
let loaded: ShortcodeEmoji[] | null = null;

export function loadEmoji(): Promise<ShortcodeEmoji[]> {
  index ??= import('gemoji').then(({ gemoji }) => {
    loaded = gemoji
      .flatMap((g) => g.names.map((shortcode) => ({ shortcode, emoji: g.emoji })))
      .sort((a, b) => a.shortcode.localeCompare(b.shortcode));
    return loaded;
  });
  index.catch(() => {
    // a failed chunk load (offline) is tried again the next time
    index = null;
  });
  return index;
}

/**
 * Emoji whose shortcode starts with `query` (shortest first), then those that contain it, at most
 * `limit`; empty until the data has loaded (`loadEmoji`).
 */
export function searchEmoji(query: string, limit = 8): ShortcodeEmoji[] {
  const q = query.toLowerCase();
  if (!loaded || q.length < 2) return [];
  const starts = loaded.filter((e) => e.shortcode.startsWith(q));
  starts.sort((a, b) => a.shortcode.length - b.shortcode.length);
  const contains = loaded.filter((e) => !e.shortcode.startsWith(q) && e.shortcode.includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** The emoji of an exact shortcode (without colons), if the data has loaded and knows it. */
export function emojiOf(shortcode: string): string | null {
  return loaded?.find((e) => e.shortcode === shortcode.toLowerCase())?.emoji ?? null;
}
