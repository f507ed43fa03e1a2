import type { HeaderList, StompVersion } from '../frame';
import { escapeHeader } from './escape';

/** A frame ready for the socket: text when the body is UTF-8, else a binary WebSocket message. */
export type Wire = string | Buffer;

/**
 * Serialises one frame. `version` undefined means no escaping (CONNECTED, and everything in 1.0).
 * A non-empty body always gets `content-length`, so bodies containing NUL survive.
 */
export function serializeFrame(
  command: string,
  headers: HeaderList,
  body: string | Buffer = '',
  version?: StompVersion,
): Wire {
  let head = command + '\n';
  for (const [name, value] of headers)
    head += `${escapeHeader(name, version)}:${escapeHeader(value, version)}\n`;
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (length > 0) head += `content-length:${length}\n`;
  head += '\n';
  if (typeof body === 'string') return head + body + '\0';
  return Buffer.concat([Buffer.from(head), body, nul]);
}

const nul = Buffer.from([0]);

/**
 * One published message, serialised once and sent to many subscribers: everything but the
 * per-subscription headers (`subscription`, `message-id`, `ack`) is built once per version.
 */
export class MessageTemplate {
  private readonly tails = new Map<StompVersion, { wire: Wire; bytes: number }>();
  /** Octets of the frame the last render() returned, so metrics need not measure it again. */
  lastBytes = 0;

  constructor(
    readonly destination: string,
    /** User headers and content-type, as the sender gave them (broker headers excluded). */
    readonly headers: HeaderList,
    /** A string when the body is valid UTF-8. */
    readonly body: string | Buffer,
  ) {}

  /** The MESSAGE frame for one subscription. */
  render(
    version: StompVersion,
    subscription: string,
    messageId: string,
    ack?: string,
    extra?: HeaderList,
  ): Wire {
    const v = version === '1.0' ? undefined : version;
    let prefix = `MESSAGE\nsubscription:${escapeHeader(subscription, v)}\nmessage-id:${escapeHeader(messageId, v)}\n`;
    if (ack !== undefined) prefix += `ack:${escapeHeader(ack, v)}\n`;
    if (extra)
      for (const [name, value] of extra)
        prefix += `${escapeHeader(name, v)}:${escapeHeader(value, v)}\n`;
    const tail = this.tail(version);
    this.lastBytes = Buffer.byteLength(prefix) + tail.bytes;
    return typeof tail.wire === 'string'
      ? prefix + tail.wire
      : Buffer.concat([Buffer.from(prefix), tail.wire]);
  }

  private tail(version: StompVersion): { wire: Wire; bytes: number } {
    let tail = this.tails.get(version);
    if (tail === undefined) {
      const v = version === '1.0' ? undefined : version;
      let head = `destination:${escapeHeader(this.destination, v)}\n`;
      for (const [name, value] of this.headers)
        head += `${escapeHeader(name, v)}:${escapeHeader(value, v)}\n`;
      const length =
        typeof this.body === 'string' ? Buffer.byteLength(this.body) : this.body.length;
      head += `content-length:${length}\n\n`;
      const wire =
        typeof this.body === 'string'
          ? head + this.body + '\0'
          : Buffer.concat([Buffer.from(head), this.body, nul]);
      tail = { wire, bytes: typeof wire === 'string' ? Buffer.byteLength(wire) : wire.length };
      this.tails.set(version, tail);
    }
    return tail;
  }
}
