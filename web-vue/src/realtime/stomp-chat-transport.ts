import type { ChatTransport, SendReceipt } from '../lib/transport';
import type { StompConnection } from './stomp-connection';

/**
 * chat-service's commands (`/app/…`) as frames on a StompConnection: what the stores send, plus
 * presence and token renewal. Sends that change messages wait for their RECEIPT.
 */
export class StompChatTransport implements ChatTransport {
  constructor(private readonly connection: StompConnection) {}

  async sendMessage(
    channelId: string,
    body: { content: string; nonce: string; replyTo?: string },
  ): Promise<SendReceipt> {
    const receipt = await this.connection.request(
      `/app/channels/${channelId}/messages`,
      JSON.stringify(body),
    );
    const seq = Number(receipt.headers.seq);
    const messageId = receipt.headers['message-id'];
    return Number.isInteger(seq) && seq > 0 && messageId ? { messageId, seq } : {};
  }

  async editMessage(channelId: string, messageId: string, content: string): Promise<void> {
    await this.connection.request(
      `/app/channels/${channelId}/messages/${messageId}/edit`,
      JSON.stringify({ content }),
    );
  }

  async deleteMessage(channelId: string, messageId: string): Promise<void> {
    await this.connection.request(`/app/channels/${channelId}/messages/${messageId}/delete`, '');
  }

  typing(channelId: string): void {
    this.connection.publish(`/app/channels/${channelId}/typing`, '');
  }

  markRead(channelId: string, seq: number): void {
    this.connection.publish(`/app/channels/${channelId}/read`, JSON.stringify({ seq }));
  }

  setPresence(status: 'online' | 'idle'): void {
    this.connection.publish('/app/presence', JSON.stringify({ status }));
  }

  /** Extends the session with a renewed token (same subject), as chat-service asks. */
  pushToken(token: string): void {
    this.connection.publish('/app/session/token', token, 'text/plain');
  }
}
