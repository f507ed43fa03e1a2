/**
 * What the client remembers per user across reloads (drafts, collapsed categories, the names of
 * former members): JSON in localStorage under `echopulse:<userId>:<key>`. Where there is no
 * localStorage (the store tests in Node, or storage disabled) it lives in memory for the page's
 * life. Quota errors are ignored: these are conveniences, never the only copy of anything.
 */
const memory = new Map<string, string>();

function storage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    /* storage disabled: fall through */
  }
  return {
    getItem: (k) => memory.get(k) ?? null,
    setItem: (k, v) => void memory.set(k, v),
    removeItem: (k) => void memory.delete(k),
  };
}

const keyOf = (userId: string, key: string) => `echopulse:${userId}:${key}`;

export function readPref<T>(userId: string | null, key: string, fallback: T): T {
  if (!userId) return fallback;
  try {
    const raw = storage().getItem(keyOf(userId, key));
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function writePref(userId: string | null, key: string, value: unknown): void {
  if (!userId) return;
  try {
    if (value === undefined) storage().removeItem(keyOf(userId, key));
    else storage().setItem(keyOf(userId, key), JSON.stringify(value));
  } catch {
    /* quota or disabled storage: remembered until the page closes at most */
  }
}

/** Forgets everything kept in memory (tests). */
export function clearMemoryPrefs(): void {
  memory.clear();
}
