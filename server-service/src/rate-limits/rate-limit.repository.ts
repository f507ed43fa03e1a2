/** The part of a node-redis client the service uses. */
export interface RedisClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  ping(): Promise<string>;
}

/**
 * Fixed-window counter in one atomic script: the first hit of a window sets its expiry, so a
 * window always ends even if the process dies between the two commands of a non-atomic version.
 * Returns the count so far and the milliseconds left in the window.
 */
const fixedWindow = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/** Counts hits per key in Redis. */
export class RateLimitRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** Counts one hit of `key` in a window of `windowMs`; answers the count and the time left. */
  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const reply = (await this.redis.eval(fixedWindow, {
      keys: [`${this.prefix}ratelimit:${key}`],
      arguments: [String(windowMs)],
    })) as [number, number];
    return { count: Number(reply[0]), resetMs: Number(reply[1]) };
  }
}
