import {
  Client,
  type IFrame,
  type IMessage,
  type IStompSocket,
  type StompSubscription,
} from '@stomp/stompjs';
import { Backoff } from '../lib/backoff';
import { mentionsUser } from '../lib/content';
import {
  FrameRejection,
  provideTransport,
  type ChatTransport,
  type SendReceipt,
} from '../lib/transport';
import type { ChatMessage, MessageEvent, Notice, PresenceEvent, TypingEvent } from '../lib/types';
import { useAuthStore } from '../stores/use-auth-store';
import { useChannelsStore } from '../stores/use-channels-store';
import { useConnectionStore } from '../stores/use-connection-store';
import { useMembersStore } from '../stores/use-members-store';
import { useMessagesStore } from '../stores/use-messages-store';
import { usePresenceStore } from '../stores/use-presence-store';
import { useReadStatesStore } from '../stores/use-read-states-store';

export interface StompSessionOptions {
  /** ws://…/ws; ignored when `webSocketFactory` is given. */
  url: string;
  webSocketFactory?: () => IStompSocket;
  backoff?: Backoff;
  /** How long a SEND waits for its RECEIPT before it counts as failed. */
  receiptTimeoutMs?: number;
  heartbeatMs?: number;
  /** How long the socket may take to reach CONNECTED before it is dropped and retried. */
  connectTimeoutMs?: number;
  /** A subscription ended or was refused (e.g. kicked from a guild): the app reloads lists. */
  onAccessLost?: (destination: string, reason: string) => void;
  debug?: (line: string) => void;
}

interface PendingReceipt {
  resolve: (frame: IFrame) => void;
  reject: (error: FrameRejection) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Waits before resubscribing after a `not_found`/`forbidden` refusal: a channel just created or a
 * guild just joined reaches chat-service's projection through Kafka a moment after server-service
 * answered, so the first refusal may be stale. After the last one the refusal stands.
 */
export const resubscribeDelaysMs = [300, 1000, 2000, 4000];

const channelTopic = (id: string) => `/topic/channels/${id}`;
const guildTopic = (id: string) => `/topic/guilds/${id}`;

/**
 * The one STOMP session of the app. It reconnects with backoff (and at once when the browser
 * comes back online), resubscribes every watched channel with `after-seq` = the last seq seen so
 * the missed messages are replayed (duplicates are dropped by seq in the messages store), pushes
 * each renewed access token with SEND /app/session/token, and turns RECEIPTs and
 * /user/queue/errors rejections into settled promises for the stores.
 */
export class StompSession implements ChatTransport {
  private client: Client | null = null;
  private readonly channels = new Set<string>();
  private readonly guilds = new Set<string>();
  private readonly subscriptions = new Map<string, StompSubscription>();
  private readonly receipts = new Map<string, PendingReceipt>();
  private receiptCounter = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  private offline = false;
  private readonly backoff: Backoff;
  private removeTokenListener: (() => void) | null = null;
  private readonly refusals = new Map<string, number>();
  private readonly resubscribeTimers = new Set<ReturnType<typeof setTimeout>>();
  private readonly memberReloads = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly options: StompSessionOptions) {
    this.backoff = options.backoff ?? new Backoff();
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.removeTokenListener = useAuthStore().onTokenRefreshed((token) => this.pushToken(token));
    provideTransport(this);
    this.connect();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    this.removeTokenListener?.();
    this.removeTokenListener = null;
    for (const timer of this.resubscribeTimers) clearTimeout(timer);
    this.resubscribeTimers.clear();
    for (const timer of this.memberReloads.values()) clearTimeout(timer);
    this.memberReloads.clear();
    provideTransport(null);
    const client = this.client;
    this.client = null;
    this.subscriptions.clear();
    this.failReceipts('disconnected');
    useConnectionStore().stopped();
    await client?.deactivate();
  }

  /** The browser lost its network: drop the socket now rather than wait for heart-beats. */
  goOffline(): void {
    this.offline = true;
    this.clearRetry();
    useConnectionStore().offline();
    this.client?.forceDisconnect();
  }

  /** The network is back: reconnect at once, from a fresh backoff. */
  goOnline(): void {
    this.offline = false;
    this.backoff.reset();
    if (this.wanted && !this.connected) {
      this.clearRetry();
      this.connect();
    }
  }

  watchChannel(channelId: string): void {
    if (this.channels.has(channelId)) return;
    this.channels.add(channelId);
    if (this.connected) this.subscribeChannel(channelId);
  }

  unwatchChannel(channelId: string): void {
    this.channels.delete(channelId);
    this.unsubscribe(channelTopic(channelId));
  }

  watchGuild(guildId: string): void {
    if (this.guilds.has(guildId)) return;
    this.guilds.add(guildId);
    if (this.connected) this.subscribeGuild(guildId);
  }

  unwatchGuild(guildId: string): void {
    this.guilds.delete(guildId);
    this.unsubscribe(guildTopic(guildId));
  }

  // ChatTransport

  async sendMessage(
    channelId: string,
    body: { content: string; nonce: string; replyTo?: string },
  ): Promise<SendReceipt> {
    const receipt = await this.publishWithReceipt(
      `/app/channels/${channelId}/messages`,
      JSON.stringify(body),
    );
    const seq = Number(receipt.headers.seq);
    const messageId = receipt.headers['message-id'];
    return Number.isInteger(seq) && seq > 0 && messageId ? { messageId, seq } : {};
  }

  async editMessage(channelId: string, messageId: string, content: string): Promise<void> {
    await this.publishWithReceipt(
      `/app/channels/${channelId}/messages/${messageId}/edit`,
      JSON.stringify({ content }),
    );
  }

  async deleteMessage(channelId: string, messageId: string): Promise<void> {
    await this.publishWithReceipt(`/app/channels/${channelId}/messages/${messageId}/delete`, '');
  }

  typing(channelId: string): void {
    this.publish(`/app/channels/${channelId}/typing`, '');
  }

  markRead(channelId: string, seq: number): void {
    this.publish(`/app/channels/${channelId}/read`, JSON.stringify({ seq }));
  }

  setPresence(status: 'online' | 'idle'): void {
    this.publish('/app/presence', JSON.stringify({ status }));
  }

  /** Extends the session with a renewed token (same subject), as chat-service asks. */
  pushToken(token: string): void {
    this.publish('/app/session/token', token, 'text/plain');
  }

  // connection

  private connect(): void {
    if (!this.wanted || this.offline) return;
    const connection = useConnectionStore();
    connection.connecting();
    const client = new Client({
      brokerURL: this.options.webSocketFactory ? undefined : this.options.url,
      webSocketFactory: this.options.webSocketFactory,
      // reconnection is ours (backoff with jitter, online events): one Client per attempt
      reconnectDelay: 0,
      // our own CONNECT deadline (below): stompjs's outlives a socket closed before CONNECTED
      connectionTimeout: 0,
      heartbeatIncoming: this.options.heartbeatMs ?? 10_000,
      heartbeatOutgoing: this.options.heartbeatMs ?? 10_000,
      debug: this.options.debug ?? (() => undefined),
      beforeConnect: async (c) => {
        const auth = useAuthStore();
        c.connectHeaders = { Authorization: `Bearer ${auth.accessToken ?? ''}` };
      },
      onConnect: () => {
        clearTimeout(deadline);
        if (this.client !== client) return;
        this.backoff.reset();
        this.subscriptions.clear();
        connection.connected();
        this.subscribeAll(client);
        useMessagesStore().resendInterrupted();
        this.setPresence(
          typeof document !== 'undefined' && document.visibilityState === 'hidden'
            ? 'idle'
            : 'online',
        );
      },
      onStompError: (frame) => {
        // ERROR ends the session; its body starts with the code (DESIGN.md "STOMP contract")
        const code = (frame.body || frame.headers.message || '').split(/[\s:]/)[0] ?? '';
        connection.lastError = frame.headers.message ?? code;
        if (['token_expired', 'token_invalid', 'unauthenticated'].includes(code)) {
          void useAuthStore().refresh();
        }
      },
      onWebSocketClose: () => {
        clearTimeout(deadline);
        if (this.client !== client) return;
        this.client = null;
        this.subscriptions.clear();
        this.failReceipts('disconnected');
        void client.deactivate();
        this.scheduleReconnect();
      },
    });
    const deadline = setTimeout(() => {
      if (!client.connected) client.forceDisconnect();
    }, this.options.connectTimeoutMs ?? 10_000);
    this.client = client;
    client.activate();
  }

  private scheduleReconnect(): void {
    if (!this.wanted) return;
    const connection = useConnectionStore();
    if (this.offline) {
      connection.offline();
      return;
    }
    const delay = this.backoff.next();
    connection.lost(connection.lastError, delay);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private subscribeAll(client: Client): void {
    client.subscribe('/user/queue/errors', (m) => this.onRejection(m));
    client.subscribe('/user/queue/notices', (m) => this.onNotice(m));
    for (const id of this.guilds) this.subscribeGuild(id);
    for (const id of this.channels) this.subscribeChannel(id);
  }

  private subscribeChannel(channelId: string): void {
    const client = this.client;
    if (!client?.connected) return;
    const destination = channelTopic(channelId);
    if (this.subscriptions.has(destination)) return;
    const messages = useMessagesStore();
    const state = messages.byChannel[channelId];
    // after-seq replays what this client missed; a channel never loaded has nothing to resume
    const headers: Record<string, string> =
      state && (state.loaded || state.lastSeq > 0) ? { 'after-seq': String(state.lastSeq) } : {};
    this.subscriptions.set(
      destination,
      client.subscribe(destination, (m) => this.onChannelFrame(channelId, m), headers),
    );
  }

  private subscribeGuild(guildId: string): void {
    const client = this.client;
    if (!client?.connected) return;
    const destination = guildTopic(guildId);
    if (this.subscriptions.has(destination)) return;
    this.subscriptions.set(
      destination,
      client.subscribe(destination, (m) => {
        if (m.headers.event !== 'presence') return;
        const event = parse<PresenceEvent>(m.body);
        usePresenceStore().apply(guildId, event);
        this.noteMember(guildId, event.userId);
      }),
    );
  }

  private unsubscribe(destination: string): void {
    const sub = this.subscriptions.get(destination);
    this.subscriptions.delete(destination);
    if (sub && this.connected) sub.unsubscribe();
  }

  // inbound frames

  private onChannelFrame(channelId: string, frame: IMessage): void {
    this.refusals.delete(channelTopic(channelId)); // it works: later refusals start over
    const event = frame.headers.event;
    if (event === 'typing') {
      usePresenceStore().typing(parse<TypingEvent>(frame.body));
      return;
    }
    if (event !== 'message.created' && event !== 'message.updated' && event !== 'message.deleted')
      return;
    const message = parse<ChatMessage>(frame.body);
    const isNew = useMessagesStore().ingest(event as MessageEvent, message);
    if (event !== 'message.created') return;
    usePresenceStore().stoppedTyping(channelId, message.author.id);
    this.noteMember(message.guildId, message.author.id);
    const me = useAuthStore().userId;
    if (!isNew || message.author.id === me) return;
    const viewing =
      useChannelsStore().currentChannelId === channelId &&
      (typeof document === 'undefined' || document.visibilityState !== 'hidden');
    useReadStatesStore().onMessage(
      channelId,
      message.guildId,
      message.seq,
      me !== null && mentionsUser(message, me),
      viewing,
    );
  }

  private onRejection(frame: IMessage): void {
    const code = frame.headers.code ?? 'refused';
    const reason = frame.headers.message ?? frame.body;
    const retryAfter = Number(frame.headers['retry-after']) || undefined;
    const receiptId = frame.headers['receipt-id'];
    const pending = receiptId ? this.receipts.get(receiptId) : undefined;
    if (pending && receiptId) {
      this.receipts.delete(receiptId);
      clearTimeout(pending.timer);
      pending.reject(new FrameRejection(code, reason, retryAfter));
      return;
    }
    const destination = frame.headers['rejected-destination'] ?? '';
    if (frame.headers['rejected-command'] === 'SUBSCRIBE' && destination) {
      this.subscriptions.delete(destination);
      const attempt = this.refusals.get(destination) ?? 0;
      const delay = resubscribeDelaysMs[attempt];
      if ((code === 'not_found' || code === 'forbidden') && delay !== undefined) {
        this.refusals.set(destination, attempt + 1);
        const timer = setTimeout(() => {
          this.resubscribeTimers.delete(timer);
          this.resubscribe(destination);
        }, delay);
        this.resubscribeTimers.add(timer);
        return;
      }
      this.refusals.delete(destination);
      this.forget(destination);
      this.options.onAccessLost?.(destination, code);
    }
  }

  private resubscribe(destination: string): void {
    const channel = /^\/topic\/channels\/(.+)$/.exec(destination)?.[1];
    const guild = /^\/topic\/guilds\/(.+)$/.exec(destination)?.[1];
    if (channel && this.channels.has(channel)) this.subscribeChannel(channel);
    if (guild && this.guilds.has(guild)) this.subscribeGuild(guild);
  }

  private onNotice(frame: IMessage): void {
    const notice = parse<Notice>(frame.body);
    if (notice.type === 'token-expiring') {
      // a renewed token reaches pushToken through the auth store's listener
      void useAuthStore().refresh();
    } else if (notice.type === 'subscription-ended' && notice.destination) {
      this.forget(notice.destination);
      this.options.onAccessLost?.(notice.destination, notice.reason ?? 'ended');
    }
  }

  /**
   * server-service does not push member changes to browsers; someone unknown showing up in a
   * guild's presence or messages has joined, so the member list is reloaded (once per burst).
   */
  private noteMember(guildId: string, userId: string): void {
    const members = useMembersStore();
    if (!members.byGuild[guildId] || members.member(guildId, userId)) return;
    if (this.memberReloads.has(guildId)) return;
    this.memberReloads.set(
      guildId,
      setTimeout(() => {
        this.memberReloads.delete(guildId);
        members.load(guildId).catch(() => undefined);
      }, 300),
    );
  }

  private forget(destination: string): void {
    this.subscriptions.delete(destination);
    const channel = /^\/topic\/channels\/(.+)$/.exec(destination)?.[1];
    const guild = /^\/topic\/guilds\/(.+)$/.exec(destination)?.[1];
    if (channel) this.channels.delete(channel);
    if (guild) this.guilds.delete(guild);
  }

  // outbound frames

  private publish(destination: string, body: string, contentType = 'application/json'): boolean {
    const client = this.client;
    if (!client?.connected) return false;
    client.publish({ destination, body, headers: { 'content-type': contentType } });
    return true;
  }

  private publishWithReceipt(destination: string, body: string): Promise<IFrame> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new FrameRejection('disconnected', ''));
    const receipt = `r-${++this.receiptCounter}-${Date.now().toString(36)}`;
    return new Promise<IFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.receipts.delete(receipt);
        reject(new FrameRejection('timeout', ''));
      }, this.options.receiptTimeoutMs ?? 15_000);
      this.receipts.set(receipt, { resolve, reject, timer });
      client.watchForReceipt(receipt, (frame) => {
        const pending = this.receipts.get(receipt);
        if (!pending) return;
        this.receipts.delete(receipt);
        clearTimeout(pending.timer);
        pending.resolve(frame);
      });
      client.publish({
        destination,
        body,
        headers: { receipt, 'content-type': 'application/json' },
      });
    });
  }

  private failReceipts(code: string): void {
    for (const [id, pending] of this.receipts) {
      clearTimeout(pending.timer);
      pending.reject(new FrameRejection(code, ''));
      this.receipts.delete(id);
    }
  }
}

function parse<T>(body: string): T {
  return JSON.parse(body) as T;
}

let session: StompSession | null = null;

/** The app's STOMP session, created on first use. */
export function useStomp(options?: StompSessionOptions): StompSession {
  if (!session) {
    if (!options) throw new Error('useStomp: the first call must give the options');
    session = new StompSession(options);
  }
  return session;
}

/** For tests: forget the session (after stopping it). */
export function resetStomp(): void {
  session = null;
}
