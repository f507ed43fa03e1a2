import { RateLimitedError } from '@echopulse/service-kit';
import type { RateLimitRepository } from './rate-limit.repository';

export interface RateLimitPolicy {
  /** Writes allowed per window and user. */
  limit: number;
  windowSeconds: number;
}

/** Per-user limits on writes: a fixed window in Redis, shared by every instance of the service. */
export class RateLimitService {
  constructor(
    private readonly repository: RateLimitRepository,
    private readonly policy: RateLimitPolicy,
  ) {}

  /** Counts one write of `userId`; throws RateLimitedError (429 with Retry-After) past the limit. */
  async consumeWrite(userId: string): Promise<void> {
    const { count, resetMs } = await this.repository.hit(
      `writes:${userId}`,
      this.policy.windowSeconds * 1000,
    );
    if (count > this.policy.limit) {
      throw new RateLimitedError(Math.max(1, Math.ceil(resetMs / 1000)));
    }
  }
}
