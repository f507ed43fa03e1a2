import { RateLimitedError } from '@echopulse/service-kit';
import type { RateLimitRepository } from './rate-limit.repository';
import { RateLimitService } from './rate-limit.service';

/** A fixed-window counter in memory: the unit under test is the policy, Redis has its own test. */
class CountingRepository {
  counts = new Map<string, number>();
  async hit(key: string): Promise<{ count: number; resetMs: number }> {
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return { count, resetMs: 1500 };
  }
}

describe('RateLimitService', () => {
  it('lets `limit` writes through per user, then refuses with a whole-second Retry-After', async () => {
    const service = new RateLimitService(
      new CountingRepository() as unknown as RateLimitRepository,
      {
        limit: 2,
        windowSeconds: 60,
      },
    );
    await service.consumeWrite('u1');
    await service.consumeWrite('u1');
    const refused = service.consumeWrite('u1');
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refused).rejects.toMatchObject({ status: 429, retryAfterSeconds: 2 });
    await expect(service.consumeWrite('u2')).resolves.toBeUndefined();
  });
});
