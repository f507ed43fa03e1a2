/**
 * A chat message as clients see it: the JSON body of MESSAGE frames on
 * `/topic/channels/{channelId}`, of history REST responses and of `chat.messages` records.
 * Ids are decimal-string snowflakes, user ids Keycloak subjects, times ISO 8601.
 */
export interface ChatMessage {
  id: string;
  /** Per channel, strictly increasing, never reused; gaps never occur. */
  seq: number;
  channelId: string;
  guildId: string;
  author: { id: string; username: string };
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

/** What travels on `chat.messages` (key = channel id): every change to a channel's messages. */
export type ChatRecord =
  | { type: 'message.created'; message: ChatMessage; nonce: string }
  | { type: 'message.updated'; message: ChatMessage }
  | { type: 'message.deleted'; message: ChatMessage };
