// Frames about this user and session: presence on `/topic/guilds/{guildId}`, notices on
// `/user/queue/notices`, refusals on `/user/queue/errors` (openapi/chat.asyncapi.yaml).

/** A user's presence as others see it (one sets only online or idle; offline is having no session). */
export const PRESENCE_STATUSES = ['online', 'idle', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** The body of a `presence` frame on a guild topic. */
export interface PresenceEvent {
  userId: string;
  status: PresenceStatus;
}

/** What a notice says. */
export const NOTICE_TYPES = ['token-expiring', 'subscription-ended'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** The body of a MESSAGE on `/user/queue/notices`. */
export interface Notice {
  type: NoticeType;
  /** token-expiring: when the session's access token expires (send a fresh one before). */
  expiresAt?: string;
  /** subscription-ended: the destination of the ended subscription. */
  destination?: string;
  /** subscription-ended: the id the client gave the ended subscription. */
  subscription?: string;
  /**
   * subscription-ended: why — the server event that took access away (e.g. `member.kicked`,
   * `channel.deleted`), `access_resync`, or `replay_failed`.
   */
  reason?: string;
}

/** Codes of a refusal on `/user/queue/errors` that chat-service gives (the broker adds its own). */
export const REJECTION_CODES = [
  'forbidden',
  'not_found',
  'invalid_message',
  'rate_limited',
  'slowmode',
  'unavailable',
] as const;

/**
 * The headers of a refusal on `/user/queue/errors` (its body, plain text, repeats `message`): the
 * session goes on; the refused frame changed nothing.
 */
export interface RejectionHeaders {
  /** A stable code, e.g. one of {@link REJECTION_CODES}. */
  code: string;
  /** What went wrong, for people. */
  message: string;
  /** The receipt the refused frame asked for: the frame the client awaits is refused. */
  'receipt-id'?: string;
  /** SEND or SUBSCRIBE. */
  'rejected-command': string;
  'rejected-destination'?: string;
  /** Milliseconds before trying again (rate_limited, slowmode), decimal. */
  'retry-after'?: string;
}
