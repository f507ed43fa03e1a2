/**
 * Capped exponential backoff, the one implementation for every retry loop: the services' (outbox
 * relay, purge jobs, listeners) and the browser's reconnects (web-vue imports this module alone,
 * as `@echopulse/service-kit/backoff`; it imports nothing, so no Node code reaches the bundle).
 */

export interface BackoffOptions {
  /** The first delay, in ms; each further one doubles it. */
  initialMs: number;
  /** No delay is longer than this, in ms. */
  maxMs: number;
  /**
   * `half` (the default): a random delay between half and all of the doubled one, so clients or
   * instances that failed together do not retry in the same instant; `none`: exactly the doubled
   * delay (for one retrier, where a predictable schedule reads better in the logs).
   */
  jitter?: 'half' | 'none';
  /** A number in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** The delay before retry number `attempt` (0 for the first): initialMs × 2^attempt, capped. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const { initialMs, maxMs, jitter = 'half', random = Math.random } = options;
  // 2^30 × any sensible initialMs is past every cap; bounding the exponent keeps it finite.
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  if (jitter === 'none') return ceiling;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A retrier's backoff: each `next()` is the following delay, `reset()` starts over after success. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  next(): number {
    const delay = backoffDelay(this.attempt, this.options);
    this.attempt += 1;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}
