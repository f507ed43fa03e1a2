import { randomUUID } from 'node:crypto';
import { endpoints } from '@echopulse/infra';
import { FrameRejection } from '@echopulse/stomp-broker';
import { createClient, type RedisClientType } from 'redis';
import { SendLimits } from './send-limits';

// Against the real Redis: the atomic script is the point.
describe('SendLimits', () => {
  let redis: RedisClientType;
  const prefix = `test-${randomUUID()}:`;

  beforeAll(async () => {
    redis = createClient({ url: endpoints.redis.url });
    await redis.connect();
  });

  afterAll(async () => {
    for (const key of await redis.keys(`${prefix}*`)) await redis.del(key);
    await redis.quit();
  });

  const refusal = async (work: Promise<void>) => {
    try {
      await work;
    } catch (error) {
      if (error instanceof FrameRejection) return error;
      throw error;
    }
    return undefined;
  };

  it('allows `limit` messages per window across channels, then says how long to wait', async () => {
    const limits = new SendLimits(redis, { prefix, limit: 3, windowSeconds: 5 });
    for (const channel of ['1', '2', '3']) await limits.check('u1', channel, 0);
    const refused = await refusal(limits.check('u1', '4', 0));
    expect(refused?.code).toBe('rate_limited');
    const retryAfter = Number(refused?.extraHeaders.find(([n]) => n === 'retry-after')?.[1]);
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(5000);
    // someone else is not affected
    expect(await refusal(limits.check('u2', '4', 0))).toBeUndefined();
  });

  it('applies slowmode per member and channel, and gives it back on release', async () => {
    const limits = new SendLimits(redis, { prefix, limit: 100, windowSeconds: 5 });
    await limits.check('u3', '9', 30);
    const refused = await refusal(limits.check('u3', '9', 30));
    expect(refused?.code).toBe('slowmode');
    expect(Number(refused?.extraHeaders[0]?.[1])).toBeGreaterThan(29_000);
    expect(await refusal(limits.check('u3', '10', 30))).toBeUndefined(); // other channel
    expect(await refusal(limits.check('u4', '9', 30))).toBeUndefined(); // other member
    await limits.release('u3', '9');
    expect(await refusal(limits.check('u3', '9', 30))).toBeUndefined();
  });

  it('counts concurrent sends exactly (no lost updates)', async () => {
    const limits = new SendLimits(redis, { prefix, limit: 10, windowSeconds: 5 });
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, () => refusal(limits.check('u5', '1', 0))),
    );
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(10);
  });
});
