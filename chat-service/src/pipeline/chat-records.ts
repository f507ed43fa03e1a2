import { z } from 'zod';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../messages/chat-message';

const snowflake = z.string().regex(/^\d{1,20}$/);
const time = z.iso.datetime({ offset: true });

const chatMessage = z.object({
  id: snowflake,
  seq: z.number().int().positive(),
  channelId: snowflake,
  guildId: snowflake,
  author: z.object({ id: z.string().min(1), username: z.string() }),
  content: z.string(),
  mentions: z.object({ users: z.array(z.string()), everyone: z.boolean() }),
  createdAt: time,
  editedAt: time.optional(),
  replyTo: snowflake.optional(),
  deletedAt: time.optional(),
});

const chatRecord = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message.created'), message: chatMessage, nonce: z.string() }),
  z.object({ type: z.literal('message.updated'), message: chatMessage }),
  z.object({ type: z.literal('message.deleted'), message: chatMessage }),
]);

/** A chat.messages record's value, validated: consumers skip (and log) what does not parse. */
export function parseChatRecord(value: Buffer | string | null): ChatRecord {
  if (value === null) throw new Error('empty record');
  return chatRecord.parse(JSON.parse(value.toString())) as ChatRecord;
}

/**
 * Which of two states of one message is further along: deleted beats everything, then the later
 * edit. Consumers apply a record only when it is newer, so redelivery and races never go back.
 */
export function isNewer(candidate: ChatMessage, current: ChatMessage | undefined): boolean {
  if (!current) return true;
  if (current.deletedAt) return false;
  if (candidate.deletedAt) return true;
  return (candidate.editedAt ?? '') > (current.editedAt ?? '');
}
