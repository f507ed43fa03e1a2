import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { endpoints } from '../src/endpoints';

describe('the real Redis server', () => {
  const client = createClient({ url: endpoints.redis.url });

  beforeAll(() => client.connect());
  afterAll(() => client.quit());

  it('keeps a key with a TTL, reads it back, and lets it expire', async () => {
    const key = `infra-test:${randomUUID()}`;
    await client.set(key, 'value', { expiration: { type: 'PX', value: 300 } });
    expect(await client.get(key)).toBe('value');
    const ttl = await client.pTTL(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    // Poll (bounded) instead of sleeping a guessed time.
    const deadline = Date.now() + 5000;
    while ((await client.exists(key)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await client.get(key)).toBeNull();
  });
});
