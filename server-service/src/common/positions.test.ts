import { reorder } from './positions';

const items = (...ids: string[]) => ids.map((id, position) => ({ id, position }));

describe('reorder', () => {
  it('moves an item and renumbers without gaps, answering only what moved', () => {
    expect(reorder(items('a', 'b', 'c', 'd'), 'd', 1)).toEqual([
      { item: { id: 'd', position: 3 }, position: 1 },
      { item: { id: 'b', position: 1 }, position: 2 },
      { item: { id: 'c', position: 2 }, position: 3 },
    ]);
  });

  it('clamps positions past the end and closes gaps', () => {
    const gappy = [
      { id: 'a', position: 0 },
      { id: 'b', position: 5 },
    ];
    expect(reorder(gappy, 'a', 99)).toEqual([
      { item: { id: 'b', position: 5 }, position: 0 },
      { item: { id: 'a', position: 0 }, position: 1 },
    ]);
  });

  it('inserts a new item at a position counted from a base (roles start at 1)', () => {
    const roles = [
      { id: 'x', position: 1 },
      { id: 'y', position: 2 },
    ];
    const fresh = { id: 'new', position: 1 };
    expect(reorder(roles, null, 1, 1, fresh)).toEqual([
      { item: fresh, position: 1 },
      { item: roles[0], position: 2 },
      { item: roles[1], position: 3 },
    ]);
  });

  it('answers nothing for an unknown id', () => {
    expect(reorder(items('a'), 'zz', 0)).toEqual([]);
  });
});
