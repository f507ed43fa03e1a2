/**
 * The message list as Discord lays it out: a day separator where the date changes, a "new
 * messages" divider after the last read seq, and messages grouped under one header while the same
 * author writes within a few minutes.
 */
export interface TimelineMessage {
  key: string;
  seq: number;
  author: { id: string };
  createdAt: string;
}

export type TimelineRow<M> =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'new'; key: string }
  | { kind: 'message'; key: string; message: M; grouped: boolean };

export const GROUP_WINDOW_MS = 7 * 60 * 1000;

export function dayLabel(date: Date, now: Date = new Date()): string {
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const diff = Math.round((day(now) - day(date)) / 86_400_000);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Yesterday';
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
}

/**
 * `selfId`: the reader's own messages are never unread (issue #12 bug 2), so the divider goes
 * above the first unread message of someone else, and none is drawn for one's own alone.
 */
export function buildTimeline<M extends TimelineMessage>(
  messages: M[],
  lastReadSeq: number | null,
  now: Date = new Date(),
  selfId: string | null = null,
): TimelineRow<M>[] {
  const rows: TimelineRow<M>[] = [];
  let prev: M | undefined;
  let dividerPlaced = false;
  for (const message of messages) {
    const at = new Date(message.createdAt);
    const newDay = !prev || new Date(prev.createdAt).toDateString() !== at.toDateString();
    if (newDay)
      rows.push({ kind: 'day', key: `day-${at.toDateString()}`, label: dayLabel(at, now) });
    const isNew =
      !dividerPlaced &&
      lastReadSeq !== null &&
      message.seq > lastReadSeq &&
      message.author.id !== selfId &&
      prev !== undefined &&
      messages[0]!.seq <= lastReadSeq;
    if (isNew) {
      rows.push({ kind: 'new', key: 'new-messages' });
      dividerPlaced = true;
    }
    const grouped =
      !newDay &&
      !isNew &&
      prev !== undefined &&
      prev.author.id === message.author.id &&
      at.getTime() - new Date(prev.createdAt).getTime() < GROUP_WINDOW_MS;
    rows.push({ kind: 'message', key: message.key, message, grouped });
    prev = message;
  }
  return rows;
}

export function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** "Today at 14:02", "Yesterday at 09:15", else the date and time. */
export function stampOf(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const day = dayLabel(date, now);
  return day === 'Today' || day === 'Yesterday'
    ? `${day} at ${timeOf(iso)}`
    : `${date.toLocaleDateString()} ${timeOf(iso)}`;
}
