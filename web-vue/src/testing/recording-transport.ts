import type { ChatTransport, SendReceipt } from '../lib/transport';

/** A transport for component tests: records what is sent; sends are confirmed at once. */
export class RecordingTransport implements ChatTransport {
  readonly sends: { channelId: string; content: string; nonce: string }[] = [];
  readonly edits: { channelId: string; messageId: string; content: string }[] = [];
  readonly deletes: { channelId: string; messageId: string }[] = [];
  readonly typings: string[] = [];
  readonly reads: { channelId: string; seq: number }[] = [];

  async sendMessage(
    channelId: string,
    body: { content: string; nonce: string },
  ): Promise<SendReceipt> {
    this.sends.push({ channelId, ...body });
    return { messageId: `sent-${this.sends.length}`, seq: 1000 + this.sends.length };
  }
  async editMessage(channelId: string, messageId: string, content: string): Promise<void> {
    this.edits.push({ channelId, messageId, content });
  }
  async deleteMessage(channelId: string, messageId: string): Promise<void> {
    this.deletes.push({ channelId, messageId });
  }
  typing(channelId: string): void {
    this.typings.push(channelId);
  }
  markRead(channelId: string, seq: number): void {
    this.reads.push({ channelId, seq });
  }
}
