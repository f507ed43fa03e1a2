import { FrameRejection } from '@echopulse/stomp-broker';
import { isSnowflake } from '@echopulse/service-kit';
import { DEFAULT_MAX_JSON_DEPTH, nestsDeeperThan } from '@echopulse/service-kit/http';
import { z } from 'zod';

export const MAX_CONTENT_LENGTH = 4000;
export const MAX_NONCE_LENGTH = 64;

/** What `SEND /app/channels/{id}/messages` carries. */
export interface NewMessageInput {
  content: string;
  nonce: string;
  replyTo?: string;
}

const content = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => s.length >= 1, 'content is empty')
  // characters as people count them (code points), not UTF-16 units
  .refine(
    (s) => [...s].length <= MAX_CONTENT_LENGTH,
    `content exceeds ${MAX_CONTENT_LENGTH} characters`,
  )
  .refine((s) => !s.includes('\u0000'), 'content contains a NUL character');

const newMessage = z.strictObject({
  content,
  nonce: z
    .string()
    .min(1)
    .max(MAX_NONCE_LENGTH)
    .regex(/^[\x21-\x7e]+$/, 'nonce must be printable ASCII'),
  replyTo: z.string().refine(isSnowflake, 'replyTo is not a message id').optional(),
});

const editMessage = z.strictObject({ content });
const readMarker = z.strictObject({ seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

function parseJson<T>(schema: z.ZodType<T>, body: string): T {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new FrameRejection('invalid_message', 'The body is not valid JSON.');
  }
  // the REST bodies' rule (service-kit's jsonBody): nothing below walks a value deeper than this
  if (nestsDeeperThan(value, DEFAULT_MAX_JSON_DEPTH)) {
    throw new FrameRejection(
      'invalid_message',
      `The body nests arrays and objects deeper than ${DEFAULT_MAX_JSON_DEPTH} levels; send a flatter body.`,
    );
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new FrameRejection('invalid_message', `${where}${issue.message}`);
  }
  return result.data;
}

export const parseNewMessage = (body: string): NewMessageInput => parseJson(newMessage, body);
export const parseEdit = (body: string): { content: string } => parseJson(editMessage, body);
export const parseReadMarker = (body: string): { seq: number } => parseJson(readMarker, body);

/** Mentions as written: `<@userId>` (ids are Keycloak subjects) and a bare `@everyone`. */
export interface ParsedMentions {
  users: string[];
  everyone: boolean;
}

const userMention = /<@([A-Za-z0-9-]{1,64})>/g;
const everyoneMention = /(^|[^\w`])@everyone\b/;

/**
 * Mentions in `content`, users deduplicated in order of appearance; `@everyone` counts only when
 * the author may mention everyone (otherwise it is plain text, as in Discord).
 */
export function parseMentions(content: string, mayMentionEveryone: boolean): ParsedMentions {
  const users = [...new Set([...content.matchAll(userMention)].map((m) => m[1]!))];
  return { users, everyone: mayMentionEveryone && everyoneMention.test(content) };
}
