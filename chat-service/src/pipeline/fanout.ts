import { HEADERS, type MessageFrameHeaders } from '@echopulse/chat-contracts';
import type { Logger } from '@echopulse/service-kit';
import type { Broker } from '@echopulse/stomp-broker';
import type { RedisHistory } from '../history/redis-history';
import type { ChatRecord } from '../messages/chat-message';

/** The topic a channel's messages, edits, deletes and typing go out on. */
export const channelTopic = (channelId: string) => `/topic/channels/${channelId}`;

/** The headers of a message event on a channel topic. */
export const messageHeaders = (record: ChatRecord): [string, string][] => {
  const headers: MessageFrameHeaders = { event: record.type, seq: String(record.message.seq) };
  return [
    ['content-type', 'application/json'],
    [HEADERS.event, headers.event],
    [HEADERS.seq, headers.seq],
  ];
};

/**
 * What every instance does with each chat.messages record (chat-service/README.md "Fan-out and replay"): write it to
 * the Redis history first — so a replay that starts later finds it there — then deliver it to
 * this instance's own subscribers, in partition (= seq) order. A created record at or below the
 * highest seq already delivered for its channel is a producer retry's duplicate and is dropped.
 */
export class Fanout {
  private readonly delivered = new Map<string, number>();

  constructor(
    private readonly broker: Broker,
    private readonly history: RedisHistory,
    private readonly logger: Logger,
  ) {}

  readonly handle = async (records: ChatRecord[]): Promise<void> => {
    const fresh = records.filter(
      (r) =>
        r.type !== 'message.created' ||
        r.message.seq > (this.delivered.get(r.message.channelId) ?? 0),
    );
    try {
      await this.history.apply(fresh);
    } catch (error) {
      // Delivery must not wait for Redis: history then comes from the Postgres archive.
      this.logger.warn({ err: error }, 'could not write recent history to Redis');
    }
    for (const record of fresh) {
      const { channelId, seq } = record.message;
      if (record.type === 'message.created') {
        if (seq <= (this.delivered.get(channelId) ?? 0)) continue;
        this.delivered.set(channelId, seq);
      }
      this.broker.publishLocal(
        channelTopic(channelId),
        JSON.stringify(record.message),
        messageHeaders(record),
      );
    }
  };
}
