import { isNewer } from '../pipeline/chat-records';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ArchiveRepository } from './archive.repository';
import type { RedisHistory } from './redis-history';

/** One page of a channel's history, by seq; at most one of before/after/around. */
export interface HistoryQuery {
  before?: number;
  after?: number;
  around?: number;
  limit: number;
}

/** Redis holds a contiguous run of a channel's newest messages: does it start at `lo`? */
const covers = (cached: ChatMessage[], lo: number): boolean =>
  cached.length > 0 &&
  cached[0]!.seq <= lo &&
  cached.every((m, i) => i === 0 || m.seq === cached[i - 1]!.seq + 1);

/** Both sources by seq, each message in its most advanced state. */
function merge(a: ChatMessage[], b: ChatMessage[]): ChatMessage[] {
  const bySeq = new Map<number, ChatMessage>();
  for (const m of [...a, ...b]) if (isNewer(m, bySeq.get(m.seq))) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

/**
 * Reads history from Redis when its run of recent messages covers the request and from the
 * Postgres archive otherwise, merged without gaps; answers even with Redis flushed.
 */
export class HistoryReader {
  constructor(
    private readonly cache: Pick<RedisHistory, 'latest' | 'range'>,
    private readonly archive: Pick<ArchiveRepository, 'latest' | 'range' | 'byId'>,
  ) {}

  /** Oldest first. */
  async read(channelId: string, query: HistoryQuery): Promise<ChatMessage[]> {
    const { limit } = query;
    if (query.after === undefined && query.before === undefined && query.around === undefined) {
      const cached = await this.cache.latest(channelId, limit);
      if (cached.length === limit && covers(cached, cached[0]!.seq)) return cached;
      if (cached[0]?.seq === 1 && covers(cached, 1)) return cached;
      return merge(await this.archive.latest(channelId, limit), cached).slice(-limit);
    }
    let lo: number;
    let hi: number;
    if (query.after !== undefined) {
      lo = query.after + 1;
      hi = query.after + limit;
    } else if (query.before !== undefined) {
      hi = query.before - 1;
      lo = Math.max(1, query.before - limit);
    } else {
      lo = Math.max(1, query.around! - Math.floor(limit / 2));
      hi = lo + limit - 1;
    }
    if (hi < lo) return [];
    const cached = await this.cache.range(channelId, lo, hi);
    if (covers(cached, lo)) return cached;
    return merge(await this.archive.range(channelId, lo, hi), cached);
  }

  /**
   * One message by id in its newest state (edits and deletes look it up). `recent` is the state
   * the sequencer recorded, for a message too new to be archived yet.
   */
  async byId(
    channelId: string,
    messageId: string,
    recent?: ChatMessage,
  ): Promise<ChatMessage | undefined> {
    let best = (await this.archive.byId(messageId)) ?? recent;
    if (best) {
      const cached = await this.cache.range(best.channelId, best.seq, best.seq);
      const hit = cached.find((m) => m.id === messageId);
      if (hit && isNewer(hit, best)) best = hit;
    }
    return best?.channelId === channelId ? best : undefined;
  }
}
