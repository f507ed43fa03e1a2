import { createHash } from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../messages/chat-message';

/**
 * Applies one channel's records, in order, to its sorted set (score = seq, member = the
 * message's JSON): a creation is added once; an edit or delete replaces the cached state only
 * when it is newer (delete is final, later edit wins), so redelivered and duplicated records
 * change nothing. Then the set is capped to the newest ARGV[1] and its TTL (ARGV[2]) refreshed.
 * ARGV[3…] are the records as (seq, JSON, type) triples. Returns how many changed the set.
 * KEYS[2] is the channel's tombstone: a deleted channel's late records write nothing.
 */
const applyScript = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local changed = 0
for i = 3, #ARGV, 3 do
  local seq = ARGV[i]
  local current = redis.call('ZRANGEBYSCORE', KEYS[1], seq, seq)
  local apply = false
  if ARGV[i + 2] == 'message.created' then
    apply = #current == 0
  elseif #current > 0 then
    local old = cjson.decode(current[1])
    local new = cjson.decode(ARGV[i + 1])
    if old.deletedAt == nil then
      if new.deletedAt ~= nil then apply = true
      else apply = (new.editedAt or '') > (old.editedAt or '') end
    end
  end
  if apply then
    redis.call('ZREMRANGEBYSCORE', KEYS[1], seq, seq)
    redis.call('ZADD', KEYS[1], seq, ARGV[i + 1])
    changed = changed + 1
  end
end
if changed > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[1]) + 1))
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return changed
`;
const applySha = createHash('sha1').update(applyScript).digest('hex');

export interface RedisHistoryOptions {
  prefix: string;
  /** Newest messages kept per channel. */
  size: number;
  /** Seconds a channel's set lives after its last write. */
  ttlSeconds: number;
}

type Redis = Pick<
  RedisClientType,
  'eval' | 'evalSha' | 'zRangeByScore' | 'zRange' | 'del' | 'multi'
>;

/** Each channel's most recent messages in Redis: what live readers and replays hit first. */
export class RedisHistory {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisHistoryOptions,
  ) {}

  key(channelId: string): string {
    return `${this.options.prefix}history:${channelId}`;
  }

  /** Set once a channel is deleted: the fan-out then writes none of its records. */
  tombstoneKey(channelId: string): string {
    return `${this.options.prefix}history-deleted:${channelId}`;
  }

  /**
   * Forgets a deleted channel's history and keeps it forgotten: the tombstone (living
   * `tombstoneSeconds`, long past any record still in flight to the fan-out, which reads from
   * now) and the deletion in one transaction.
   */
  async drop(channelId: string, tombstoneSeconds: number): Promise<void> {
    await this.redis
      .multi()
      .set(this.tombstoneKey(channelId), '1', { EX: tombstoneSeconds })
      .del(this.key(channelId))
      .exec();
  }

  /**
   * Applies records in order: one script call per channel (its records together), by SHA once
   * Redis has the script.
   */
  async apply(records: readonly ChatRecord[]): Promise<number> {
    const byChannel = new Map<string, string[]>();
    for (const r of records) {
      const args = byChannel.get(r.message.channelId) ?? [
        String(this.options.size),
        String(this.options.ttlSeconds),
      ];
      args.push(String(r.message.seq), JSON.stringify(r.message), r.type);
      byChannel.set(r.message.channelId, args);
    }
    const results = await Promise.all(
      [...byChannel].map(([channelId, args]) =>
        this.run([this.key(channelId), this.tombstoneKey(channelId)], args),
      ),
    );
    return results.reduce((sum: number, n) => sum + n, 0);
  }

  private async run(keys: string[], args: string[]): Promise<number> {
    try {
      return Number(await this.redis.evalSha(applySha, { keys, arguments: args }));
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return Number(await this.redis.eval(applyScript, { keys, arguments: args }));
    }
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
