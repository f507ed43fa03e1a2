import { FrameRejection } from '@echopulse/stomp-broker';
import type { RedisClientType } from 'redis';

/**
 * One atomic check of both limits: the user's fixed window across all channels, then the
 * channel's slowmode for this user (a key that lives as long as the slowmode). Returns
 * [0, 0] when the message may go, [1, ms] when rate limited, [2, ms] when in slowmode.
 */
const script = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if count > tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
  return {1, ttl}
end
if tonumber(ARGV[3]) > 0 then
  if not redis.call('SET', KEYS[2], '1', 'PX', ARGV[3], 'NX') then
    return {2, redis.call('PTTL', KEYS[2])}
  end
end
return {0, 0}
`;

export interface SendLimitsOptions {
  prefix: string;
  /** Messages per user per window, across channels. */
  limit: number;
  windowSeconds: number;
}

/** Per-user rate limit and per-channel slowmode, in Redis so every instance shares them. */
export class SendLimits {
  constructor(
    private readonly redis: Pick<RedisClientType, 'eval' | 'del'>,
    private readonly options: SendLimitsOptions,
  ) {}

  private slowKey(channelId: string, userId: string) {
    return `${this.options.prefix}slowmode:${channelId}:${userId}`;
  }

  /** Throws a FrameRejection (`rate_limited` or `slowmode`, with `retry-after` ms) when over. */
  async check(userId: string, channelId: string, slowmodeSeconds: number): Promise<void> {
    const { prefix, limit, windowSeconds } = this.options;
    const [verdict, ms] = (await this.redis.eval(script, {
      keys: [`${prefix}ratelimit:messages:${userId}`, this.slowKey(channelId, userId)],
      arguments: [String(limit), String(windowSeconds * 1000), String(slowmodeSeconds * 1000)],
    })) as [number, number];
    if (verdict === 1) {
      throw new FrameRejection(
        'rate_limited',
        `You are sending too fast; wait ${Math.ceil(ms / 1000)} s.`,
        [['retry-after', String(ms)]],
      );
    }
    if (verdict === 2) {
      throw new FrameRejection(
        'slowmode',
        `This channel is in slowmode; wait ${Math.ceil(ms / 1000)} s.`,
        [['retry-after', String(ms)]],
      );
    }
  }

  /** Gives the slowmode back when the message was not sent after all. */
  async release(userId: string, channelId: string): Promise<void> {
    await this.redis.del(this.slowKey(channelId, userId));
  }
}
