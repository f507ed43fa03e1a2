/**
 * What the stores need from the STOMP session (realtime/stomp-chat-transport.ts implements it
 * over a StompConnection; tests hand in a fake). Sends resolve on the broker's RECEIPT and reject with a
 * `FrameRejection` when chat-service refuses the frame (MESSAGE on /user/queue/errors).
 */
/**
 * What a RECEIPT says about a sent message. chat-service's contract puts `message-id` and `seq`
 * on it; a broker that sends a bare RECEIPT leaves both out, and the message is then confirmed
 * by its own echo on the channel topic.
 */
export interface SendReceipt {
  messageId?: string;
  seq?: number;
}

export interface ChatTransport {
  sendMessage(
    channelId: string,
    body: { content: string; nonce: string; replyTo?: string },
  ): Promise<SendReceipt>;
  editMessage(channelId: string, messageId: string, content: string): Promise<void>;
  deleteMessage(channelId: string, messageId: string): Promise<void>;
  typing(channelId: string): void;
  markRead(channelId: string, seq: number): void;
}

/** A refused frame: chat-service's code, its reason, and for rate limits when to try again. */
export class FrameRejection extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(rejectionText(code, reason, retryAfterMs));
    this.name = 'FrameRejection';
  }
}

const texts: Record<string, string> = {
  invalid_message: 'That message was not accepted',
  forbidden: "You don't have permission to do that in this channel.",
  not_found: "That channel or message doesn't exist any more.",
  rate_limited: "You're sending messages too fast.",
  slowmode: 'This channel is in slow mode.',
  unavailable: 'Chat is briefly unavailable. Try again in a moment.',
  timeout: 'No answer from chat. Check your connection and retry.',
  disconnected: 'Not connected to chat. It will be sent when you retry after reconnecting.',
};

export function rejectionText(code: string, reason: string, retryAfterMs?: number): string {
  let text = texts[code] ?? (reason || 'That was refused.');
  if (code === 'invalid_message' && reason) text = `${text}: ${reason}`;
  else if (code === 'invalid_message') text = `${text}.`;
  if (retryAfterMs) text += ` Try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`;
  return text;
}

let transport: ChatTransport | null = null;

export function provideTransport(value: ChatTransport | null): void {
  transport = value;
}

export function useTransport(): ChatTransport {
  if (!transport) throw new FrameRejection('disconnected', '');
  return transport;
}
