import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * A CloudEvents 1.0-style envelope (structured JSON mode) around every Kafka event.
 * `id` is stable across redeliveries, so consumers deduplicate on it.
 */
export interface EventEnvelope<Type extends string = string, Data = unknown> {
  specversion: '1.0';
  id: string;
  /** e.g. `guild.created`. */
  type: Type;
  /** The producing service, e.g. `/server-service`. */
  source: string;
  /** What the event is about, e.g. `guilds/123`; also the Kafka key's scope. */
  subject: string;
  /** RFC 3339 time of the change. */
  time: string;
  datacontenttype: 'application/json';
  /** Version of `data`'s schema for this `type`; consumers refuse versions they do not know. */
  dataschemaversion: number;
  data: Data;
}

const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  type: z.string().min(1),
  source: z.string().min(1),
  subject: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  dataschemaversion: z.number().int().positive(),
  data: z.unknown(),
});

export function createEnvelope<Type extends string, Data>(fields: {
  type: Type;
  source: string;
  subject: string;
  data: Data;
  dataschemaversion?: number;
  id?: string;
  time?: Date;
}): EventEnvelope<Type, Data> {
  return {
    specversion: '1.0',
    id: fields.id ?? randomUUID(),
    type: fields.type,
    source: fields.source,
    subject: fields.subject,
    time: (fields.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    dataschemaversion: fields.dataschemaversion ?? 1,
    data: fields.data,
  };
}

export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

/** Parses a Kafka message value into an envelope; throws EnvelopeError (for dead-lettering) when it is not one. */
export function parseEnvelope(value: Buffer | string | null): EventEnvelope {
  if (value === null) throw new EnvelopeError('empty message value');
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    throw new EnvelopeError('message value is not JSON');
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success)
    throw new EnvelopeError(`not an event envelope: ${parsed.error.issues[0]?.message}`);
  return parsed.data as EventEnvelope;
}
