import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles up to the cap with jitter between half and all of it, and starts over on reset', () => {
    const low = new Backoff(500, 4000, () => 0);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([
      250, 500, 1000, 2000, 2000,
    ]);
    const high = new Backoff(500, 4000, () => 1);
    expect([high.next(), high.next(), high.next(), high.next(), high.next()]).toEqual([
      500, 1000, 2000, 4000, 4000,
    ]);
    expect(high.attempts).toBe(5);
    high.reset();
    expect([high.attempts, high.next()]).toEqual([0, 500]);
  });
});
