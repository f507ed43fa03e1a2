import { Backoff, backoffDelay } from '.';

describe('backoffDelay', () => {
  it('doubles from initialMs up to maxMs, exactly without jitter', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((attempt) =>
      backoffDelay(attempt, { initialMs: 1000, maxMs: 10_000, jitter: 'none' }),
    );
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('with jitter, lies between half and all of the doubled delay', () => {
    const low = { initialMs: 100, maxMs: 1000, random: () => 0 };
    const high = { ...low, random: () => 0.999999 };
    expect([0, 1, 4].map((a) => backoffDelay(a, low))).toEqual([50, 100, 500]);
    expect([0, 1, 4].map((a) => backoffDelay(a, high))).toEqual([100, 200, 1000]);
  });

  it('stays finite and capped however many attempts failed', () => {
    const options = { initialMs: 100, maxMs: 5000, jitter: 'none' } as const;
    expect(backoffDelay(10_000, options)).toBe(5000);
    expect(backoffDelay(-1, options)).toBe(100);
  });
});

describe('Backoff', () => {
  it('doubles up to the cap with jitter between half and all of it, and starts over on reset', () => {
    const low = new Backoff({ initialMs: 500, maxMs: 4000, random: () => 0 });
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([
      250, 500, 1000, 2000, 2000,
    ]);
    const high = new Backoff({ initialMs: 500, maxMs: 4000, random: () => 1 });
    expect([high.next(), high.next(), high.next(), high.next(), high.next()]).toEqual([
      500, 1000, 2000, 4000, 4000,
    ]);
    expect(high.attempts).toBe(5);
    high.reset();
    expect([high.attempts, high.next()]).toEqual([0, 500]);
  });
});
