import type { RedisClientType } from 'redis';
import type { ChatMessage, ChatRecord } from '../messages/chat-message';

/**
 * Applies one record to a channel's sorted set (score = seq, member = the message's JSON):
 * a creation is added once; an edit or delete replaces the cached state only when it is newer
 * (delete is final, later edit wins), so redelivered and duplicated records change nothing.
 * Then the set is capped to the newest ARGV[4] and its TTL refreshed.
 */
const applyScript = `
local seq = ARGV[1]
local current = redis.call('ZRANGEBYSCORE', KEYS[1], seq, seq)
local apply = false
if ARGV[3] == 'message.created' then
  apply = #current == 0
elseif #current > 0 then
  local old = cjson.decode(current[1])
  local new = cjson.decode(ARGV[2])
  if old.deletedAt == nil then
    if new.deletedAt ~= nil then apply = true
    else apply = (new.editedAt or '') > (old.editedAt or '') end
  end
end
if apply then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], seq, seq)
  redis.call('ZADD', KEYS[1], seq, ARGV[2])
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[4]) + 1))
  redis.call('EXPIRE', KEYS[1], ARGV[5])
end
return apply and 1 or 0
`;

export interface RedisHistoryOptions {
  prefix: string;
  /** Newest messages kept per channel. */
  size: number;
  /** Seconds a channel's set lives after its last write. */
  ttlSeconds: number;
}

type Redis = Pick<RedisClientType, 'eval' | 'zRangeByScore' | 'zRange' | 'del'>;

/** Each channel's most recent messages in Redis: what live readers and replays hit first. */
export class RedisHistory {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisHistoryOptions,
  ) {}

  key(channelId: string): string {
    return `${this.options.prefix}history:${channelId}`;
  }

  /** Applies records in order (auto-pipelined); returns how many changed the cache. */
  async apply(records: readonly ChatRecord[]): Promise<number> {
    const results = await Promise.all(
      records.map(
        (r) =>
          this.redis.eval(applyScript, {
            keys: [this.key(r.message.channelId)],
            arguments: [
              String(r.message.seq),
              JSON.stringify(r.message),
              r.type,
              String(this.options.size),
              String(this.options.ttlSeconds),
            ],
          }) as Promise<number>,
      ),
    );
    return results.reduce((sum: number, n) => sum + Number(n), 0);
  }

  /** Cached messages with lo ≤ seq ≤ hi, oldest first. */
  async range(channelId: string, lo: number, hi: number): Promise<ChatMessage[]> {
    const members = await this.redis.zRangeByScore(this.key(channelId), lo, hi);
    return members.map((m) => JSON.parse(m) as ChatMessage);
  }

  /** The newest `count` cached messages, oldest first. */
  async latest(channelId: string, count: number): Promise<ChatMessage[]> {
    const members = await this.redis.zRange(this.key(channelId), '+inf', '-inf', {
      BY: 'SCORE',
      REV: true,
      LIMIT: { offset: 0, count },
    });
    return members.map((m) => JSON.parse(m) as ChatMessage).reverse();
  }
}
