import { createClient, type RedisClientType } from 'redis';
import type { Relay, RelayMessage } from './relay';

export interface RedisRelayOptions {
  /** e.g. redis://127.0.0.1:6379 */
  url: string;
  /** Pub/sub channel shared by the brokers of one deployment. */
  channel?: string;
  onError?: (error: unknown) => void;
}

/**
 * Relays topic and user-destination messages between broker processes over Redis pub/sub.
 * Pub/sub is fire-and-forget: a message published while a broker is disconnected from Redis does
 * not reach it, which is why an application that needs every message (chat) replays from its own
 * store — the relay is for live fan-out.
 */
export class RedisRelay implements Relay {
  private readonly channel: string;
  private publisher: RedisClientType | undefined;
  private subscriber: RedisClientType | undefined;
  private closed = false;

  constructor(private readonly options: RedisRelayOptions) {
    this.channel = options.channel ?? 'stomp-broker:relay';
  }

  async start(deliver: (message: RelayMessage) => void): Promise<void> {
    const report = (error: unknown) => this.options.onError?.(error);
    this.publisher = createClient({ url: this.options.url });
    this.subscriber = this.publisher.duplicate();
    this.publisher.on('error', report);
    this.subscriber.on('error', report);
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.channel, (raw) => {
      let message: RelayMessage;
      try {
        message = JSON.parse(raw) as RelayMessage;
      } catch (error) {
        return report(error);
      }
      deliver(message);
    });
  }

  publish(message: RelayMessage): void {
    // After close(): what the closing broker still says (sessions ending) has nobody to reach.
    if (this.closed) return;
    this.publisher
      ?.publish(this.channel, JSON.stringify(message))
      .catch((error: unknown) => this.options.onError?.(error));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.subscriber?.close(), this.publisher?.close()]);
  }
}
