import type { ChatMessage } from '@echopulse/chat-contracts';

// What a chat message is on the wire (the body of `message.*` frames, history and chat.messages)
// is @echopulse/chat-contracts' ChatMessage, shared with the web app.

/** What travels on `chat.messages` (key = channel id): every change to a channel's messages. */
export type ChatRecord =
  | { type: 'message.created'; message: ChatMessage; nonce: string }
  | { type: 'message.updated'; message: ChatMessage }
  | { type: 'message.deleted'; message: ChatMessage };
