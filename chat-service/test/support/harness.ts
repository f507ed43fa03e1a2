import { randomInt, randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '@echopulse/service-kit';
import type { ServerEvent } from '@echopulse/guild-contracts';
import { endpoints } from '@echopulse/infra';
import { accessToken, waitFor } from '@echopulse/infra/testing';
import { Client, type IFrame, type IMessage } from '@stomp/stompjs';
import { Kafka, logLevel } from 'kafkajs';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { readConfig } from '../../src/config';
import { startChatService, type ChatService } from '../../src/composition-root';
import { subOf } from '../../src/testing/chat-fixtures';

export { guildWithChannels as guildCreated, newId, subOf } from '../../src/testing/chat-fixtures';

/**
 * chat-service in this process on a free port, with its own Postgres schema, Kafka topics,
 * Redis prefix and consumer groups, so test files never see each other's data.
 */
export class TestService {
  service!: ChatService;
  readonly run = `t${Date.now().toString(36)}${randomInt(1e6).toString(36)}`;
  readonly config;
  private kafka = new Kafka({ brokers: [...endpoints.kafka.brokers], logLevel: logLevel.NOTHING });

  constructor(env: Record<string, string> = {}) {
    this.config = readConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_NAME: 'echopulse_chat_test',
      DATABASE_SCHEMA: this.run,
      DATABASE_POOL_SIZE: '10',
      REDIS_KEY_PREFIX: `${this.run}:`,
      SERVER_EVENTS_TOPIC: `${this.run}.server.events`,
      CHAT_MESSAGES_TOPIC: `${this.run}.chat.messages`,
      CHAT_MESSAGES_PARTITIONS: '3',
      KAFKA_GROUP_PREFIX: `${this.run}.`,
      STOMP_HEARTBEAT_MS: '0',
      SHUTDOWN_GRACE_MS: '1000',
      ...env,
    });
  }

  get url() {
    return `http://127.0.0.1:${this.service.port}`;
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.service.port}/ws`;
  }

  /** Starts the service; its log goes to stdout at warn unless `logger` is given. */
  async start(logger: Logger = createLogger('chat-test', 'warn')): Promise<void> {
    this.service = await startChatService(this.config, logger);
  }

  async stop(): Promise<void> {
    await this.service?.stop();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: [this.config.SERVER_EVENTS_TOPIC, this.config.CHAT_MESSAGES_TOPIC] })
      .catch(() => undefined);
    await admin.disconnect();
    const pg = new PgClient({ ...endpoints.postgres, database: 'echopulse_chat_test' });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${this.run}" CASCADE`);
    await pg.end();
  }

  /** Publishes server events as server-service would (key = guild). */
  async publish(...events: ServerEvent[]): Promise<void> {
    const producer = this.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: this.config.SERVER_EVENTS_TOPIC,
      acks: -1,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
    await producer.disconnect();
  }

  /** An authenticated REST call. */
  async get(path: string, token: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.url + path, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() };
  }
}

export interface Person {
  name: 'alice' | 'bob' | 'carol' | 'mod' | 'admin';
  token: string;
  id: string;
}

export async function person(name: Person['name']): Promise<Person> {
  const token = await accessToken(name);
  return { name, token, id: subOf(token) };
}

/** A @stomp/stompjs client that records everything it gets. */
export class TestClient {
  readonly client: Client;
  readonly messages = new Map<string, IMessage[]>();
  readonly errors: IMessage[] = [];
  readonly notices: IMessage[] = [];
  readonly receipts = new Map<string, IFrame>();
  stompError: IFrame | undefined;
  closed = false;

  constructor(url: string, token: string | undefined) {
    this.client = new Client({
      webSocketFactory: () => new WebSocket(url, ['v12.stomp']),
      connectHeaders: token ? { Authorization: `Bearer ${token}` } : {},
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      debug: () => undefined,
    });
    this.client.onUnhandledReceipt = (frame) =>
      this.receipts.set(frame.headers['receipt-id']!, frame);
    this.client.onStompError = (frame) => (this.stompError = frame);
    this.client.onWebSocketClose = () => (this.closed = true);
    this.client.onWebSocketError = () => undefined;
  }

  async connect(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.client.onConnect = () => resolve();
      const previous = this.client.onStompError;
      this.client.onStompError = (frame) => {
        previous(frame);
        reject(new Error(`${frame.headers.message}`));
      };
      this.client.activate();
    });
    this.client.subscribe('/user/queue/errors', (m) => this.errors.push(m));
    this.client.subscribe('/user/queue/notices', (m) => this.notices.push(m));
    return this;
  }

  subscribe(destination: string, headers: Record<string, string> = {}): string {
    const receipt = randomUUID();
    this.client.subscribe(
      destination,
      (m) => {
        const list = this.messages.get(destination) ?? [];
        list.push(m);
        this.messages.set(destination, list);
      },
      { ...headers, receipt },
    );
    return receipt;
  }

  send(destination: string, body: unknown): string {
    const receipt = randomUUID();
    this.client.publish({
      destination,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { receipt },
    });
    return receipt;
  }

  of(destination: string, event?: string): IMessage[] {
    return (this.messages.get(destination) ?? []).filter(
      (m) => !event || m.headers.event === event,
    );
  }

  async close(): Promise<void> {
    await this.client.deactivate();
  }
}

/** Polls `check` until it returns something truthy (infra's waitFor; falsy answers mean not yet). */
export function until<T>(
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  type Truthy = Exclude<T, false | 0 | '' | null | undefined>;
  return waitFor(what, async () => ((await check()) || undefined) as Truthy | undefined, timeoutMs);
}

/** Waits for the RECEIPT of `receipt` or the rejection naming it; answers which. */
export async function outcome(
  c: TestClient,
  receipt: string,
): Promise<{ receipt?: IFrame; rejection?: IMessage }> {
  return until(
    () => {
      const r = c.receipts.get(receipt);
      if (r) return { receipt: r };
      const e = c.errors.find((m) => m.headers['receipt-id'] === receipt);
      if (e) return { rejection: e };
      return undefined;
    },
    15_000,
    `receipt ${receipt}`,
  );
}
