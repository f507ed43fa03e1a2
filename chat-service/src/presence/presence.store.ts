import type { PresenceStatus } from '@echopulse/chat-contracts';
import type { RedisClientType } from 'redis';

const summarize = `
local function summarize(key, now)
  local status = 'offline'
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', key, now, '+inf')) do
    local s = string.match(m, ':(%a+)$')
    if s == 'online' then return 'online' end
    if s == 'idle' then status = 'idle' end
  end
  return status
end
`;

/** Sets (or with an empty status removes) one session's entry; answers {before, after}. */
const setScript = `${summarize}
local key, now = KEYS[1], ARGV[1]
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
local before = summarize(key, now)
local mine = ARGV[3] .. ':'
for _, m in ipairs(redis.call('ZRANGE', key, 0, -1)) do
  if string.sub(m, 1, #mine) == mine then redis.call('ZREM', key, m) end
end
if ARGV[4] ~= '' then
  redis.call('ZADD', key, ARGV[2], mine .. ARGV[4])
  redis.call('PEXPIREAT', key, ARGV[2])
end
return {before, summarize(key, now)}
`;

const getScript = `${summarize}
local out = {}
for i, key in ipairs(KEYS) do out[i] = summarize(key, ARGV[1]) end
return out
`;

/**
 * Who is online, in Redis so every instance sees every session: per user a sorted set of
 * `<sessionId>:<status>` scored by when the entry expires. Each instance refreshes its own
 * sessions every heartbeat; a crashed instance's entries expire by themselves.
 */
export class PresenceStore {
  constructor(
    private readonly redis: Pick<RedisClientType, 'eval'>,
    private readonly prefix: string,
    /** How long an entry lives without a refresh. */
    private readonly ttlMs: number,
  ) {}

  private key(userId: string) {
    return `${this.prefix}presence:${userId}`;
  }

  /** Sets, refreshes or (status undefined) removes one session's entry. */
  async set(
    userId: string,
    sessionId: string,
    status: Exclude<PresenceStatus, 'offline'> | undefined,
  ): Promise<{ before: PresenceStatus; after: PresenceStatus }> {
    const now = Date.now();
    const [before, after] = (await this.redis.eval(setScript, {
      keys: [this.key(userId)],
      arguments: [String(now), String(now + this.ttlMs), sessionId, status ?? ''],
    })) as [PresenceStatus, PresenceStatus];
    return { before, after };
  }

  /** Each user's status, in the order given. */
  async statuses(userIds: readonly string[]): Promise<PresenceStatus[]> {
    if (!userIds.length) return [];
    return (await this.redis.eval(getScript, {
      keys: userIds.map((id) => this.key(id)),
      arguments: [String(Date.now())],
    })) as PresenceStatus[];
  }
}
