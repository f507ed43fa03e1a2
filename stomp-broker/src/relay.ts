/**
 * What one broker process tells the others so topic and user-destination messages reach
 * subscribers connected elsewhere. Queues stay local to the process that holds them.
 */
export interface RelayMessage {
  /** The broker that published it; a broker ignores its own messages. */
  origin: string;
  kind: 'topic' | 'user';
  destination: string;
  /** For kind `user`: the principal name. */
  user?: string;
  headers: [string, string][];
  /** UTF-8 text, or base64 when `binary`. */
  body: string;
  binary: boolean;
}

export interface Relay {
  start(deliver: (message: RelayMessage) => void): Promise<void>;
  publish(message: RelayMessage): void;
  close(): Promise<void>;
}

/** The default for a single process: nothing to relay. */
export class LocalRelay implements Relay {
  async start(): Promise<void> {}
  publish(): void {}
  async close(): Promise<void> {}
}
