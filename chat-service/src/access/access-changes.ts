import type { Logger } from '@echopulse/service-kit';
import { backoffDelay } from '@echopulse/service-kit/backoff';
import { Client, type ClientConfig, type Notification } from 'pg';
import type { AccessChange } from './channel-access';

/** The Postgres NOTIFY channel the projector writes access changes to. */
export const ACCESS_CHANGES_CHANNEL = 'chat_access';

export interface AccessChangeListenerOptions {
  /** Connection settings (`pgClientConfig(...)` of db/data-source.ts). */
  pg: ClientConfig;
  logger: Logger;
  /** Reconnect backoff: starts at initialMs, doubles up to maxMs (defaults 100 ms, 5 s). */
  backoff?: { initialMs: number; maxMs: number };
}

type Handler<T extends unknown[]> = (...args: T) => void;

/** Reads a NOTIFY payload into an AccessChange; undefined when it is not one. */
export function parseAccessChange(payload: string | undefined): AccessChange | undefined {
  if (!payload) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const optional = (x: unknown) => x === undefined || typeof x === 'string';
  if (typeof v.guildId !== 'string' || typeof v.cause !== 'string') return undefined;
  if (!optional(v.userId) || !optional(v.channelId)) return undefined;
  return {
    guildId: v.guildId,
    cause: v.cause,
    ...(v.userId !== undefined && { userId: v.userId as string }),
    ...(v.channelId !== undefined && { channelId: v.channelId as string }),
  };
}

/**
 * Listens to `chat_access` on a dedicated Postgres connection (LISTEN needs one connection held
 * for good, which a pool does not give) and hands each AccessChange to its subscribers. Postgres
 * sends a notification to every listening session of the database, so every chat-service
 * instance hears every change, whichever instance's projector committed it.
 *
 * If the connection drops it reconnects with capped exponential backoff. Notifications sent while
 * it was away are lost, so after reconnecting it calls the `onResync` handlers: whoever keeps
 * state derived from access (subscriptions, caches) should re-check all of it.
 */
export class AccessChangeListener {
  private client: Client | undefined;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private readonly first: Handler<[AccessChange]>[] = [];
  private readonly handlers: Handler<[AccessChange]>[] = [];
  private readonly resyncHandlers: Handler<[]>[] = [];
  private connectedOnce = false;
  private startWaiters: (() => void)[] = [];
  /** True while LISTEN is in effect. */
  connected = false;

  /** The Postgres backend pid of the LISTEN connection (diagnostics, tests). */
  get backendPid(): number | undefined {
    return this.connected
      ? (this.client as unknown as { processID?: number })?.processID
      : undefined;
  }

  constructor(private readonly options: AccessChangeListenerOptions) {}

  /** Calls `handler` with every access change; returns the unsubscribe function. */
  subscribe(handler: (change: AccessChange) => void): () => void {
    return add(this.handlers, handler);
  }

  /**
   * Like subscribe, but called before every subscribe() handler: for caches, so that what a
   * subscriber re-checks is never answered from a stale entry.
   */
  subscribeFirst(handler: (change: AccessChange) => void): () => void {
    return add(this.first, handler);
  }

  /** Calls `handler` after a reconnection (changes may have been missed meanwhile). */
  onResync(handler: () => void): () => void {
    return add(this.resyncHandlers, handler);
  }

  /** Connects and LISTENs; resolves once listening (retrying meanwhile), or when stopped. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const started = new Promise<void>((resolve) => this.startWaiters.push(resolve));
    void this.connect();
    await started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.connected = false;
    this.release();
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { logger } = this.options;
    const client = new Client({
      application_name: 'chat-service-access-listener',
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      ...this.options.pg,
    });
    client.on('notification', (msg) => this.dispatch(msg));
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${ACCESS_CHANGES_CHANNEL}`);
    } catch (error) {
      this.dropped(client, error);
      return;
    }
    if (this.stopped || this.client !== client) {
      await client.end().catch(() => undefined);
      return;
    }
    this.connected = true;
    this.attempt = 0;
    const again = this.connectedOnce;
    this.connectedOnce = true;
    this.release();
    if (again) {
      logger.info('access change listener reconnected; subscribers re-check access');
      for (const handler of this.resyncHandlers) this.call(handler);
    } else {
      logger.debug('listening for access changes');
    }
  }

  /** The connection failed or ended: forget it and try again later (unless stopping). */
  private dropped(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.connected = false;
    client.removeAllListeners('notification');
    // Keep an error listener: pg may still emit on a dead client, and an unheard 'error' throws.
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 100, maxMs: 5000 };
    const delay = backoffDelay(this.attempt, { initialMs, maxMs, jitter: 'none' });
    this.attempt += 1;
    this.options.logger.warn(
      { err: error, retryInMs: delay, attempt: this.attempt },
      'access change listener lost its Postgres connection; reconnecting',
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private dispatch(msg: Notification): void {
    if (msg.channel !== ACCESS_CHANGES_CHANNEL) return;
    const change = parseAccessChange(msg.payload);
    if (!change) {
      this.options.logger.warn({ payload: msg.payload }, 'ignored a malformed access change');
      return;
    }
    for (const handler of [...this.first, ...this.handlers]) this.call(handler, change);
  }

  private call<T extends unknown[]>(handler: Handler<T>, ...args: T): void {
    try {
      handler(...args);
    } catch (error) {
      this.options.logger.error({ err: error }, 'an access change subscriber failed');
    }
  }

  private release(): void {
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function add<T>(list: T[], item: T): () => void {
  list.push(item);
  return () => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  };
}
