import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** openapi/chat.asyncapi.yaml, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const document = parse(
  readFileSync(join(__dirname, '../../../openapi/chat.asyncapi.yaml'), 'utf8'),
) as Loose;

/**
 * Payload object schemas closed (additionalProperties: false unless said otherwise), so a field the
 * service sends and the document does not name fails too; local $refs inlined.
 */
function closed(schema: Loose, close = true): Loose {
  if (Array.isArray(schema)) return schema.map((s) => closed(s, close));
  if (!schema || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .slice(2)
      .split('/')
      .reduce((node: Loose, key: string) => node?.[key], document);
    if (target === undefined) throw new Error(`unresolved $ref ${schema.$ref}`);
    return closed(target, close);
  }
  const copy: Loose = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, closed(v, close)]),
  );
  if (close && copy.properties && copy.additionalProperties === undefined)
    copy.additionalProperties = false;
  return copy;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv); // date-time and the like are checked, not ignored
const cache = new Map<string, ValidateFunction>();

/** Checks a payload (or, with part 'headers', the headers) against a message of the document. */
export function validate(
  message: string,
  value: unknown,
  part: 'payload' | 'headers' = 'payload',
): string[] {
  const key = `${message}/${part}`;
  let fn = cache.get(key);
  if (!fn) {
    const schema = document.components.messages[message]?.[part];
    if (!schema) throw new Error(`the AsyncAPI document has no ${part} for message ${message}`);
    // STOMP adds headers of its own (destination, message-id…): only payloads are closed
    fn = ajv.compile(closed(schema, part === 'payload'));
    cache.set(key, fn);
  }
  return fn(value)
    ? []
    : (fn.errors ?? []).map(
        (e) => `${message} ${part}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
      );
}
