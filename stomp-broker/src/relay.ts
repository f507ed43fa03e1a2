import type { MessageTemplate } from './codec/serializer';

/**
 * What one broker process tells the others so topic and user-destination messages reach
 * subscribers connected elsewhere. Queues stay local to the process that holds them.
 */
export interface RelayMessage {
  /** The broker that published it; a broker ignores its own messages. */
  origin: string;
  kind: 'topic' | 'user';
  /** `/topic/…` for topics; for users the part after `/user`, e.g. `/queue/notices`. */
  destination: string;
  /** For kind `user`: the principal name. */
  user?: string;
  headers: [string, string][];
  /** UTF-8 text, or base64 when `binary`. */
  body: string;
  binary: boolean;
}

/**
 * Carries topic and user messages between broker processes. `publish` is fire-and-forget and must
 * not block; `start` hands over the function that delivers what other processes publish.
 */
export interface Relay {
  start(deliver: (message: RelayMessage) => void): Promise<void>;
  publish(message: RelayMessage): void;
  close(): Promise<void>;
}

/** The default for a single process: there is nobody to relay to. */
export class LocalRelay implements Relay {
  async start(): Promise<void> {}
  publish(): void {}
  async close(): Promise<void> {}
}

/** A message as the relay carries it: headers copied, a binary body in base64. */
export function toRelayMessage(
  origin: string,
  kind: 'topic' | 'user',
  template: MessageTemplate,
  destination: string,
  user?: string,
): RelayMessage {
  return {
    origin,
    kind,
    destination,
    ...(user !== undefined ? { user } : {}),
    headers: template.headers.map(([n, v]) => [n, v]),
    body: template.text ? template.body.toString('utf8') : template.body.toString('base64'),
    binary: !template.text,
  };
}
