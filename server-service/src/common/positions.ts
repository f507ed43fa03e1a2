/**
 * Moves one item of a position-ordered list to a new position and numbers the list again from
 * `base` without gaps. Returns only the items whose position changed, with their new position
 * (the moved item included when it moved). `position` past the end means "last".
 */
export function reorder<T extends { id: string; position: number }>(
  items: T[],
  id: string | null,
  position: number,
  base = 0,
  inserted?: T,
): { item: T; position: number }[] {
  const ordered = [...items].sort((a, b) => a.position - b.position);
  const moving = inserted ?? ordered.find((i) => i.id === id);
  if (!moving) return [];
  const rest = ordered.filter((i) => i.id !== moving.id);
  const index = Math.max(0, Math.min(rest.length, position - base));
  rest.splice(index, 0, moving);
  return rest
    .map((item, i) => ({ item, position: base + i }))
    .filter(({ item, position: p }) => item.position !== p || item === inserted);
}
