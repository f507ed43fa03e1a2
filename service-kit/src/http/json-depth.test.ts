import { nestsDeeperThan } from './json-depth';

describe('nestsDeeperThan', () => {
  it('counts each array and object as a level and scalars as none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: 'x' }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: [] }] }, 3)).toBe(true);
    // the deep branch is found wherever it is among its siblings
    expect(nestsDeeperThan([[[[]]], 1, 'x', {}], 3)).toBe(true);
    expect(nestsDeeperThan([{}, [[[]]], null], 3)).toBe(true);
  });

  it('walks 120,000 levels without recursion and refuses them quickly', () => {
    const n = 120_000;
    const value: unknown = JSON.parse(`{"a":${'['.repeat(n)}${']'.repeat(n)}}`);
    const started = performance.now();
    expect(nestsDeeperThan(value, 64)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
    // a limit above the depth walks all of it, still without overflowing the stack
    expect(nestsDeeperThan(value, n + 1)).toBe(false);
    expect(nestsDeeperThan(value, n)).toBe(true);
  });

  it('visits wide values once per container', () => {
    const wide = Array.from({ length: 50_000 }, (_, i) => ({ i, tags: [String(i)] }));
    expect(nestsDeeperThan(wide, 3)).toBe(false);
    expect(nestsDeeperThan(wide, 2)).toBe(true);
  });
});
