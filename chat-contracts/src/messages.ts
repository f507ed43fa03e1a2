// The frames of a channel topic, `/topic/channels/{channelId}`: messages as delivered, typing and
// reactions (openapi/chat.asyncapi.yaml, chat-service/README.md "STOMP contract").

/**
 * A chat message as chat-service delivers it live (`message.created|updated|deleted` frames) and
 * as it travels on `chat.messages`. Ids are decimal-string snowflakes, user ids Keycloak
 * subjects, times ISO 8601.
 */
export interface ChatMessage {
  id: string;
  /** Per channel, strictly increasing, never reused; gaps never occur. */
  seq: number;
  channelId: string;
  guildId: string;
  author: { id: string; username: string };
  /** Empty once deleted. */
  content: string;
  /** Parsed mentions: user ids of `<@id>`, and whether `@everyone` counted. */
  mentions: { users: string[]; everyone: boolean };
  createdAt: string;
  editedAt?: string;
  /** Id of the message this one replies to, in the same channel. */
  replyTo?: string;
  /** Set (with content emptied) once deleted; kept so that seq stays gap-free. */
  deletedAt?: string;
}

/** One emoji's reactions on a message, for the reading user. */
export interface ReactionCount {
  emoji: string;
  /** Users reacting with this emoji, at least 1. */
  count: number;
  /** The reading user reacted with it. */
  me: boolean;
}

/**
 * A message as readers get it from REST history, GET one message and an after-seq replay: with
 * its reactions for the reader (none once deleted).
 */
export interface MessageWithReactions extends ChatMessage {
  reactions: ReactionCount[];
}

/**
 * The body of a `message.*` frame: a live one has no `reactions`, a replayed one (SUBSCRIBE with
 * `after-seq`) carries them as history does.
 */
export type DeliveredMessage = ChatMessage & { reactions?: ReactionCount[] };

/** The `event` header of a message frame, one per change. */
export const MESSAGE_EVENT_TYPES = [
  'message.created',
  'message.updated',
  'message.deleted',
] as const;
export type MessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];

/** The body of a `typing` frame: the user is typing in the channel until `until` (8 s on). */
export interface TypingEvent {
  userId: string;
  username: string;
  channelId: string;
  until: string;
}

/** The `event` header of a reaction frame. */
export const REACTION_EVENT_TYPES = [
  'reaction.added',
  'reaction.removed',
  'reaction.cleared',
] as const;
export type ReactionEventType = (typeof REACTION_EVENT_TYPES)[number];

/** The body of `reaction.added` and `reaction.removed`: `count` is the emoji's count after. */
export interface ReactionChange {
  messageId: string;
  /** One Unicode emoji. */
  emoji: string;
  /** Who reacted, or whose reaction went. */
  userId: string;
  count: number;
}

/** The body of `reaction.cleared`: every reaction of the message, or of one emoji on it, went. */
export interface ReactionCleared {
  messageId: string;
  /** Only this emoji's reactions went; absent when all of them did. */
  emoji?: string;
}

/** A reaction frame: its `event` header and its body. */
export type ReactionEvent =
  | { event: 'reaction.added' | 'reaction.removed'; body: ReactionChange }
  | { event: 'reaction.cleared'; body: ReactionCleared };

/** The `event` header of every frame on a channel topic. */
export type ChannelEventType = MessageEventType | 'typing' | ReactionEventType;
