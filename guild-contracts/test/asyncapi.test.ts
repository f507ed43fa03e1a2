import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  GUILD_SNAPSHOTS_TOPIC,
  GUILD_SNAPSHOTS_TOPIC_CONFIG,
  guildStateSnapshotSchema,
  parseGuildStateSnapshot,
  SERVER_EVENTS_TOPIC,
  SERVER_EVENT_TYPES,
  parseServerEvent,
  serverEventDataSchemas,
  type ServerEventType,
} from '../src/events';

/** A parsed YAML node: the test walks it freely and lets expectations catch a wrong shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** The hand-written AsyncAPI document, checked against the code it describes. */
const document = parse(
  readFileSync(join(__dirname, '../../openapi/asyncapi.yaml'), 'utf8'),
) as Record<string, Loose>;

type Schema = Record<string, unknown>;

/** Follows a local `$ref` (`#/a/b/c`) through the document. */
function resolve(ref: string): Loose {
  expect(ref.startsWith('#/')).toBe(true);
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
  if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
  return target;
}

const deref = (schema: Schema): Schema =>
  typeof schema.$ref === 'string' ? deref(resolve(schema.$ref) as Schema) : schema;

/**
 * What two schemas must agree on: object fields (names, required, recursively), array items,
 * scalar types and nullability. Descriptions, formats and bounds are the document's business.
 */
function shape(input: Schema): unknown {
  let schema = deref(input);
  let nullable = false;
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) {
    const solid = branches.map(deref).filter((b) => b.type !== 'null');
    nullable = solid.length < branches.length;
    expect(solid).toHaveLength(1);
    schema = solid[0]!;
  }
  let type = schema.type;
  if (Array.isArray(type)) {
    nullable ||= type.includes('null');
    type = type.filter((t) => t !== 'null')[0];
  }
  if (schema.const !== undefined) type = typeof schema.const;
  if (type === 'object' || schema.properties) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    return {
      nullable,
      fields: Object.fromEntries(
        Object.keys(properties)
          .sort()
          .map((key) => [key, shape(properties[key]!)]),
      ),
      required: [...((schema.required as string[] | undefined) ?? [])].sort(),
    };
  }
  if (type === 'array') return { nullable, items: shape(schema.items as Schema) };
  return { nullable, type };
}

/** The server event messages: every component message but the guild snapshot. */
const messages = Object.fromEntries(
  Object.entries(document.components.messages as Record<string, Schema & { name: string }>).filter(
    ([key]) => key !== 'guildSnapshot',
  ),
);
const messageNames = Object.values(messages).map((m) => m.name);
const byType = Object.fromEntries(Object.values(messages).map((m) => [m.name, m])) as Record<
  ServerEventType,
  Loose
>;

describe('openapi/asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0 document for the server events topic', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.channels.serverEvents.address).toBe(SERVER_EVENTS_TOPIC);
    expect(document.channels.serverEvents.bindings.kafka.topic).toBe(SERVER_EVENTS_TOPIC);
  });

  it('names exactly the event types of ServerEventType, once each', () => {
    expect([...messageNames].sort()).toEqual([...SERVER_EVENT_TYPES].sort());
    expect(new Set(messageNames).size).toBe(messageNames.length);
    expect(
      [...document.components.schemas.ServerEventEnvelope.properties.type.enum].sort(),
    ).toEqual([...SERVER_EVENT_TYPES].sort());
  });

  it('carries every message on the channel and in both operations', () => {
    const channelMessages = Object.values(
      document.channels.serverEvents.messages as Record<string, { $ref: string }>,
    ).map((m) => (deref(m) as { name: string }).name);
    expect([...channelMessages].sort()).toEqual([...SERVER_EVENT_TYPES].sort());
    for (const operation of ['publishServerEvents', 'consumeServerEvents']) {
      const names = (document.operations[operation].messages as { $ref: string }[]).map(
        (m) => (deref(m) as { name: string }).name,
      );
      expect([...names].sort()).toEqual([...SERVER_EVENT_TYPES].sort());
    }
  });

  describe.each(SERVER_EVENT_TYPES)('%s', (type) => {
    it('has the envelope, its type and the data fields of the code', () => {
      const message = byType[type];
      const [envelope, own] = message.payload.allOf as Schema[];
      expect(envelope).toEqual({ $ref: '#/components/schemas/ServerEventEnvelope' });
      const properties = own!.properties as Record<string, Schema>;
      expect(properties.type).toEqual({ const: type });
      const fromCode = z.toJSONSchema(serverEventDataSchemas[type], {
        io: 'output',
        unrepresentable: 'any',
      }) as Schema;
      expect(shape(properties.data!)).toEqual(shape(fromCode));
    });

    it('has examples that the consumers’ parser accepts', () => {
      const examples = byType[type].examples as { payload: unknown }[];
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const event = parseServerEvent(JSON.stringify(example.payload));
        expect(event.type).toBe(type);
      }
    });
  });

  describe('the guild snapshots topic', () => {
    const channel = document.channels.guildSnapshots;
    const message = document.components.messages.guildSnapshot;

    it('is the compacted topic of the code, with its settings', () => {
      expect(channel.address).toBe(GUILD_SNAPSHOTS_TOPIC);
      expect(channel.bindings.kafka.topic).toBe(GUILD_SNAPSHOTS_TOPIC);
      const config = channel.bindings.kafka.topicConfiguration;
      expect(config['cleanup.policy']).toEqual([GUILD_SNAPSHOTS_TOPIC_CONFIG['cleanup.policy']]);
      expect(String(config['delete.retention.ms'])).toBe(
        GUILD_SNAPSHOTS_TOPIC_CONFIG['delete.retention.ms'],
      );
      expect((document.operations.publishGuildSnapshots.channel as { $ref: string }).$ref).toBe(
        '#/channels/guildSnapshots',
      );
    });

    it('has the fields of the code', () => {
      const fromCode = z.toJSONSchema(guildStateSnapshotSchema, {
        io: 'output',
        unrepresentable: 'any',
      }) as Schema;
      expect(shape(message.payload as Schema)).toEqual(shape(fromCode));
    });

    it('has examples that the consumers’ parser accepts', () => {
      const examples = message.examples as { payload: { guild: { id: string } } }[];
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const snapshot = parseGuildStateSnapshot(
          example.payload.guild.id,
          JSON.stringify(example.payload),
        );
        expect(snapshot?.guild.id).toBe(example.payload.guild.id);
      }
      expect(parseGuildStateSnapshot('1', null)).toBeNull();
    });
  });

  it('resolves every $ref', () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(document);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) expect(() => resolve(ref)).not.toThrow();
  });
});
