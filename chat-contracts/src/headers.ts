// The STOMP header names and values of chat-service's contract beyond STOMP's own.
import type { MessageEventType, ReactionEventType } from './messages';

/** Header names (STOMP 1.2 headers are case-sensitive). */
export const HEADERS = {
  /** MESSAGE: what the body is — a `ChannelEventType`, `presence`, or the guild event's `type`. */
  event: 'event',
  /** MESSAGE of `message.*`: the message's seq, decimal. */
  seq: 'seq',
  /** SUBSCRIBE to a channel topic: deliver every message after this seq first (replay). */
  afterSeq: 'after-seq',
  /** Any client frame (STOMP 1.2 §"Header receipt"): ask for a RECEIPT. */
  receipt: 'receipt',
  /** RECEIPT, and a refusal on the errors queue: the `receipt` it answers. */
  receiptId: 'receipt-id',
  /** Refusal on the errors queue: stable code, reason, refused frame, wait. */
  code: 'code',
  message: 'message',
  rejectedCommand: 'rejected-command',
  rejectedDestination: 'rejected-destination',
  retryAfter: 'retry-after',
} as const;

/** The headers chat-service sets on a `message.*` frame (besides content-type). */
export interface MessageFrameHeaders {
  event: MessageEventType;
  /** The message's seq, decimal. */
  seq: string;
}

/** The headers chat-service sets on a reaction frame (besides content-type). */
export interface ReactionFrameHeaders {
  event: ReactionEventType;
}

/** The `event` header of a presence frame on `/topic/guilds/{guildId}`. */
export const PRESENCE_EVENT = 'presence';
/** The `event` header of a typing frame on a channel topic. */
export const TYPING_EVENT = 'typing';
/** The `event` header (and body `type`) of the first frame of `/user/queue/guild-events`. */
export const READY_EVENT = 'READY';
