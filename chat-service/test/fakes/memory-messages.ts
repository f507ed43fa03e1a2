import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../../src/messages/chat-message';
import { isNewer } from '../../src/pipeline/chat-records';

/**
 * Messages in memory, each seq in its most advanced state: stands in for the Redis history
 * (`latest`, `range`) and for the Postgres archive (the same and `byId`) in unit tests. `reads`
 * records which were asked, e.g. "range 3-5".
 */
export class MemoryMessages {
  private readonly channels = new Map<string, Map<number, ChatMessage>>();
  readonly reads: string[] = [];

  put(...messages: ChatMessage[]): this {
    for (const message of messages) {
      const channel = this.channels.get(message.channelId) ?? new Map<number, ChatMessage>();
      if (isNewer(message, channel.get(message.seq))) channel.set(message.seq, message);
      this.channels.set(message.channelId, channel);
    }
    return this;
  }

  apply(records: readonly ChatRecord[]): void {
    this.put(...records.map((r) => r.message));
  }

  private sorted(channelId: string): ChatMessage[] {
    return [...(this.channels.get(channelId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  async range(channelId: string, lo: number, hi: number): Promise<ChatMessage[]> {
    this.reads.push(`range ${lo}-${hi}`);
    return this.sorted(channelId).filter((m) => m.seq >= lo && m.seq <= hi);
  }

  async latest(channelId: string, count: number): Promise<ChatMessage[]> {
    this.reads.push(`latest ${count}`);
    return this.sorted(channelId).slice(-count);
  }

  async byId(messageId: string): Promise<ChatMessage | undefined> {
    this.reads.push(`byId ${messageId}`);
    for (const channel of this.channels.values())
      for (const message of channel.values()) if (message.id === messageId) return message;
    return undefined;
  }
}

/** A message of channel `channelId` with seq `seq` (id: the channel id, then the seq in 4 digits), for history tests. */
export const message = (
  channelId: string,
  seq: number,
  extra: Partial<ChatMessage> = {},
): ChatMessage => ({
  id: `${channelId}${String(seq).padStart(4, '0')}`,
  seq,
  channelId,
  guildId: '1',
  author: { id: 'u1', username: 'alice' },
  content: `message ${seq}`,
  mentions: { users: [], everyone: false },
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});
