import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import {
  GUILD_EVENT_TYPES,
  HEADERS,
  MESSAGE_EVENT_TYPES,
  NOTICE_TYPES,
  PRESENCE_STATUSES,
  REACTION_EVENT_TYPES,
  REJECTION_CODES,
  type DeliveredMessage,
  type GuildEventOf,
  type GuildEventType,
  type GuildReady,
  type MessageFrameHeaders,
  type Notice,
  type PresenceEvent,
  type ReactionChange,
  type ReactionCleared,
  type ReactionFrameHeaders,
  type RejectionHeaders,
  type TypingEvent,
} from '../src';

// The package's types against openapi/chat.asyncapi.yaml. Each payload (and the headers the
// contract names) has a `full` example, typed so that it must hold every key of the type, and a
// `minimal` one, typed so that it must hold exactly the required keys. Both must validate against
// the document's schema (closed: a key the document does not name fails), the full one's keys
// must be the schema's properties (recursively) and the minimal one's the schema's required set.
// So a field added to a type and not to the document fails here (once the example has it, which
// the type check demands), and so does a field the document has and the type lacks.

/** A parsed YAML node, walked freely; expectations catch a wrong shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const document = parse(
  readFileSync(join(__dirname, '../../openapi/chat.asyncapi.yaml'), 'utf8'),
) as Loose;

/** Follows local $refs until a schema is not one. */
function deref(schema: Loose): Loose {
  if (schema && typeof schema.$ref === 'string') {
    const target = (schema.$ref as string)
      .slice(2)
      .split('/')
      .reduce((node: Loose, key: string) => node?.[key], document);
    if (target === undefined) throw new Error(`unresolved $ref ${schema.$ref}`);
    return deref(target);
  }
  return schema;
}

/** The schema with $refs inlined and every object closed (additionalProperties: false). */
function closed(schema: Loose): Loose {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: Loose = Object.fromEntries(
    Object.entries(deref(schema) as object).map(([k, v]) => [k, closed(v)]),
  );
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

function part(message: string, which: 'payload' | 'headers'): Loose {
  const schema = document.components.messages[message]?.[which];
  if (!schema) throw new Error(`the AsyncAPI document has no ${which} for message ${message}`);
  return schema;
}

function errors(message: string, which: 'payload' | 'headers', value: unknown): string[] {
  const key = `${message}/${which}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(closed(part(message, which)));
    compiled.set(key, fn);
  }
  return fn(value)
    ? []
    : (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The branch of a oneOf/anyOf that describes `value` (its `type` const, or not null). */
function branch(schema: Loose, value: unknown): Loose {
  const s = deref(schema);
  const branches = (s.oneOf ?? s.anyOf) as Loose[] | undefined;
  if (!branches) return s;
  const solid = branches.map(deref).filter((b) => b.type !== 'null');
  if (solid.length === 1) return solid[0];
  const type = (value as { type?: unknown }).type;
  const match = solid.find((b) => deref(b.properties?.type)?.const === type);
  if (!match) throw new Error(`no branch of the schema for type ${String(type)}`);
  return match;
}

/**
 * Where the value's object keys differ from the schema's properties, recursively (arrays by
 * their items): one line per difference, empty when they agree.
 */
function keyDifferences(schema: Loose, value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const s = branch(schema, value);
  if (Array.isArray(value))
    return value.flatMap((item, i) => keyDifferences(s.items, item, `${path}/${i}`));
  const properties = (s.properties ?? {}) as Record<string, Loose>;
  const have = Object.keys(value);
  const out = [
    ...have.filter((k) => !(k in properties)).map((k) => `${path}/${k}: not in the document`),
    ...Object.keys(properties)
      .filter((k) => !have.includes(k))
      .map((k) => `${path}/${k}: in the document, not in the type`),
  ];
  for (const k of have)
    if (k in properties)
      out.push(
        ...keyDifferences(properties[k], (value as Record<string, unknown>)[k], `${path}/${k}`),
      );
  return out;
}

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Exactly the required keys of T. */
type Minimal<T> = { [K in RequiredKeys<T>]: T[K] };

interface Example {
  message: string;
  part: 'payload' | 'headers';
  full: object;
  minimal: object;
}

/** An example of `message`'s part typed with T: `full` has every key, `minimal` only the required. */
const example =
  <T>() =>
  (
    message: string,
    which: 'payload' | 'headers',
    full: Required<T>,
    minimal: Minimal<T>,
  ): Example => ({
    message,
    part: which,
    full,
    minimal,
  });

const channelId = '222222222222222222';
const guildId = '111111111111111111';
const userId = 'f3b1c8a2-4d5e-4f60-9a7b-1c2d3e4f5a6b';
const time = '2026-12-05T08:00:00.000Z';

const liveMessage = {
  id: '123456789012345678',
  seq: 42,
  channelId,
  guildId,
  author: { id: userId, username: 'alice' },
  content: 'hello <@' + userId + '>',
  mentions: { users: [userId], everyone: false },
  createdAt: time,
};
const fullMessage: Required<DeliveredMessage> = {
  ...liveMessage,
  editedAt: time,
  replyTo: '123456789012345600',
  deletedAt: time,
  reactions: [{ emoji: '👍', count: 2, me: true }],
};

const guild = { id: guildId, name: 'Guild', ownerId: userId, iconUrl: null, createdAt: time };
const role = {
  id: '333333333333333333',
  guildId,
  name: 'readers',
  color: 0,
  position: 1,
  permissions: '1024',
  mentionable: false,
};
const channel = {
  id: channelId,
  guildId,
  type: 'text' as const,
  name: 'general',
  parentId: null,
  position: 0,
  topic: null,
  slowmodeSeconds: 0,
  overwrites: [{ id: guildId, type: 'role' as const, allow: '0', deny: '2048' }],
};
const member = {
  guildId,
  userId,
  username: 'bob',
  displayName: 'Bob',
  nickname: null,
  roleIds: [role.id],
  joinedAt: time,
};
const ban = { guildId, userId, username: 'bob', displayName: 'Bob', reason: 'spam' };

/** One event of each dispatch type (the mapped type makes the list exhaustive). */
const guildEvents: { [T in GuildEventType]: GuildEventOf<T> } = {
  GUILD_CREATE: {
    type: 'GUILD_CREATE',
    guildId,
    seq: '1042',
    data: { ...guild, roles: [role], channels: [channel], members: [member] },
  },
  GUILD_UPDATE: { type: 'GUILD_UPDATE', guildId, seq: '1043', data: guild },
  GUILD_DELETE: {
    type: 'GUILD_DELETE',
    guildId,
    seq: '1044',
    data: { id: guildId, reason: 'kicked' },
  },
  CHANNEL_CREATE: { type: 'CHANNEL_CREATE', guildId, seq: '1045', data: channel },
  CHANNEL_UPDATE: { type: 'CHANNEL_UPDATE', guildId, seq: '1046', data: channel },
  CHANNEL_DELETE: { type: 'CHANNEL_DELETE', guildId, seq: '1047', data: channel },
  GUILD_ROLE_CREATE: { type: 'GUILD_ROLE_CREATE', guildId, seq: '1048', data: role },
  GUILD_ROLE_UPDATE: { type: 'GUILD_ROLE_UPDATE', guildId, seq: '1049', data: role },
  GUILD_ROLE_DELETE: { type: 'GUILD_ROLE_DELETE', guildId, seq: '1050', data: role },
  GUILD_MEMBER_ADD: { type: 'GUILD_MEMBER_ADD', guildId, seq: '1051', data: member },
  GUILD_MEMBER_UPDATE: { type: 'GUILD_MEMBER_UPDATE', guildId, seq: '1052', data: member },
  GUILD_MEMBER_REMOVE: { type: 'GUILD_MEMBER_REMOVE', guildId, seq: '1053', data: member },
  GUILD_BAN_ADD: { type: 'GUILD_BAN_ADD', guildId, seq: '1054', data: ban },
  GUILD_BAN_REMOVE: { type: 'GUILD_BAN_REMOVE', guildId, seq: '1055', data: ban },
};

const examples: Example[] = [
  ...MESSAGE_EVENT_TYPES.map((event) => {
    const message = {
      'message.created': 'messageCreated',
      'message.updated': 'messageUpdated',
      'message.deleted': 'messageDeleted',
    }[event];
    return [
      example<DeliveredMessage>()(message, 'payload', fullMessage, liveMessage),
      example<MessageFrameHeaders>()(
        message,
        'headers',
        { event, seq: '42' },
        { event, seq: '42' },
      ),
    ];
  }).flat(),
  example<TypingEvent>()(
    'typing',
    'payload',
    { userId, username: 'alice', channelId, until: time },
    { userId, username: 'alice', channelId, until: time },
  ),
  ...(['reaction.added', 'reaction.removed'] as const).flatMap((event) => {
    const message = event === 'reaction.added' ? 'reactionAdded' : 'reactionRemoved';
    const change = { messageId: liveMessage.id, emoji: '👍', userId, count: 1 };
    return [
      example<ReactionChange>()(message, 'payload', change, change),
      example<ReactionFrameHeaders>()(message, 'headers', { event }, { event }),
    ];
  }),
  example<ReactionCleared>()(
    'reactionCleared',
    'payload',
    { messageId: liveMessage.id, emoji: '🎉' },
    { messageId: liveMessage.id },
  ),
  example<ReactionFrameHeaders>()(
    'reactionCleared',
    'headers',
    { event: 'reaction.cleared' },
    { event: 'reaction.cleared' },
  ),
  example<PresenceEvent>()(
    'presence',
    'payload',
    { userId, status: 'idle' },
    { userId, status: 'idle' },
  ),
  example<Notice>()(
    'notice',
    'payload',
    {
      type: 'subscription-ended',
      expiresAt: time,
      destination: `/topic/channels/${channelId}`,
      subscription: 'sub-1',
      reason: 'member.kicked',
    },
    { type: 'token-expiring' },
  ),
  example<RejectionHeaders>()(
    'rejection',
    'headers',
    {
      code: 'rate_limited',
      message: 'Slow down.',
      'receipt-id': 'r-7',
      'rejected-command': 'SEND',
      'rejected-destination': `/app/channels/${channelId}/messages`,
      'retry-after': '1200',
    },
    { code: 'forbidden', message: 'You may not send here.', 'rejected-command': 'SEND' },
  ),
  example<GuildReady>()(
    'guildReady',
    'payload',
    { type: 'READY', data: { guilds: [{ id: guildId, seq: '1055' }] } },
    { type: 'READY', data: { guilds: [{ id: guildId, seq: null }] } },
  ),
  ...GUILD_EVENT_TYPES.map((type) =>
    example<GuildEventOf<typeof type>>()(
      'guildEvent',
      'payload',
      guildEvents[type],
      guildEvents[type],
    ),
  ),
];

const name = (e: Example) =>
  `${e.message} ${e.part}${'type' in e.full ? ` ${String(e.full.type)}` : ''}`;

describe('chat-contracts against openapi/chat.asyncapi.yaml', () => {
  describe.each(examples.map((e) => [name(e), e] as const))('%s', (_, e) => {
    it('a value with every key of the type is valid, and the keys are the document’s', () => {
      expect(errors(e.message, e.part, e.full)).toEqual([]);
      expect(keyDifferences(part(e.message, e.part), e.full)).toEqual([]);
    });

    it('a value with only the type’s required keys is valid, and they are the document’s required', () => {
      expect(errors(e.message, e.part, e.minimal)).toEqual([]);
      const schema = branch(part(e.message, e.part), e.full);
      expect(Object.keys(e.minimal).sort()).toEqual(
        [...((schema.required as string[]) ?? [])].sort(),
      );
    });
  });

  it('names the message events, reaction events, notice types and presence statuses of the package', () => {
    const names = ['messageCreated', 'messageUpdated', 'messageDeleted'].map(
      (m) => document.components.messages[m].name as string,
    );
    expect(names).toEqual([...MESSAGE_EVENT_TYPES]);
    const schemas = document.components.schemas;
    expect(schemas.ChannelMessageHeaders.properties.event.enum).toEqual([
      ...MESSAGE_EVENT_TYPES,
      'typing',
    ]);
    expect(schemas.ReactionHeaders.properties.event.enum).toEqual([...REACTION_EVENT_TYPES]);
    expect(schemas.Notice.properties.type.enum).toEqual([...NOTICE_TYPES]);
    expect(schemas.Presence.properties.status.enum).toEqual([...PRESENCE_STATUSES]);
    expect(document.components.messages.rejection.headers.properties.code.examples).toEqual([
      ...REJECTION_CODES,
    ]);
  });

  it('has one guild event branch per GUILD_EVENT_TYPES entry', () => {
    const types = (document.components.schemas.GuildEvent.oneOf as Loose[]).map(
      (b) => b.properties.type.const as string,
    );
    expect(types).toEqual([...GUILD_EVENT_TYPES]);
  });

  it('uses the header names of HEADERS', () => {
    const rejection = Object.keys(document.components.messages.rejection.headers.properties);
    const names = Object.values(HEADERS) as string[];
    expect(rejection.filter((h) => !names.includes(h))).toEqual([]);
    expect(document.channels.channelTopic.description).toContain(`\`${HEADERS.afterSeq}: N\``);
    expect(
      Object.keys(document.components.schemas.ChannelMessageHeaders.properties).sort(),
    ).toEqual([HEADERS.event, HEADERS.seq].sort());
  });
});
