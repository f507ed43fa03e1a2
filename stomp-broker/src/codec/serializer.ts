import { isUtf8 } from 'node:buffer';
import type { HeaderList, StompVersion } from '../frame';
import { escapeHeader } from './escape';

const nul = Buffer.from([0]);

/**
 * Serialises one frame to send. `version` undefined means no escaping (CONNECTED, and every frame
 * in 1.0). A non-empty body always gets `content-length`, so bodies holding NUL survive
 * (spec 1.2 "Header content-length"). Returns a string for a text body and a Buffer otherwise.
 */
export function serializeFrame(
  command: string,
  headers: HeaderList,
  body: string | Buffer = '',
  version?: StompVersion,
): string | Buffer {
  let head = command + '\n';
  for (const [name, value] of headers) {
    head += escapeHeader(name, version) + ':' + escapeHeader(value, version) + '\n';
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (length > 0) head += 'content-length:' + length + '\n';
  head += '\n';
  if (typeof body === 'string') return head + body + '\0';
  return Buffer.concat([Buffer.from(head), body, nul]);
}

/** The start of every MESSAGE frame for one subscription: `MESSAGE` and its `subscription` header. */
export function messagePrefix(subscriptionId: string, version: StompVersion): Buffer {
  const v = version === '1.0' ? undefined : version;
  return Buffer.from(`MESSAGE\nsubscription:${escapeHeader(subscriptionId, v)}\n`);
}

const versionIndex: Record<StompVersion, number> = { '1.0': 0, '1.1': 1, '1.2': 2 };

/**
 * One published message, serialised once and sent to many subscribers. Everything but the
 * per-subscription headers (`subscription`, `ack`, `redelivered`) — command aside — is built once
 * per STOMP version in use, and each delivery only joins two buffers.
 */
export class MessageTemplate {
  /** The body as octets; `text` says whether it is valid UTF-8 (then sent as a text message). */
  readonly body: Buffer;
  readonly text: boolean;
  private readonly tails: (Buffer | undefined)[] = [undefined, undefined, undefined];

  constructor(
    readonly destination: string,
    /** User headers and content-type as the sender gave them (broker headers excluded). */
    readonly headers: HeaderList,
    body: string | Buffer,
    /** Shared by every delivery of this message; subscriptions tell deliveries apart (1.1 ACK). */
    readonly messageId: string,
  ) {
    if (typeof body === 'string') {
      this.body = Buffer.from(body);
      this.text = true;
    } else {
      this.body = body;
      this.text = isUtf8(body);
    }
  }

  /** The body as a string (UTF-8). */
  get bodyText(): string {
    return this.body.toString('utf8');
  }

  /** The MESSAGE frame for one subscription, given its {@link messagePrefix}. */
  render(version: StompVersion, prefix: Buffer, ack?: string, redelivered?: boolean): Buffer {
    const tail = this.tail(version);
    if (ack === undefined && !redelivered) {
      return Buffer.concat([prefix, tail], prefix.length + tail.length);
    }
    // Spec 1.2 "MESSAGE": the `ack` header when the subscription needs acknowledgement.
    let extra = '';
    if (ack !== undefined) extra += 'ack:' + ack + '\n';
    if (redelivered) extra += 'redelivered:true\n';
    const middle = Buffer.from(extra);
    return Buffer.concat([prefix, middle, tail], prefix.length + middle.length + tail.length);
  }

  private tail(version: StompVersion): Buffer {
    const i = versionIndex[version];
    let tail = this.tails[i];
    if (tail === undefined) {
      const v = version === '1.0' ? undefined : version;
      let head = `message-id:${escapeHeader(this.messageId, v)}\ndestination:${escapeHeader(this.destination, v)}\n`;
      for (const [name, value] of this.headers) {
        head += escapeHeader(name, v) + ':' + escapeHeader(value, v) + '\n';
      }
      head += `content-length:${this.body.length}\n\n`;
      const headBytes = Buffer.from(head);
      tail = Buffer.concat([headBytes, this.body, nul], headBytes.length + this.body.length + 1);
      this.tails[i] = tail;
    }
    return tail;
  }
}
