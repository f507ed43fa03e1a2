import { provideTransport } from '../lib/transport';
import { useAuthStore } from '../stores/use-auth-store';
import { useConnectionStore } from '../stores/use-connection-store';
import { useMessagesStore } from '../stores/use-messages-store';
import { channelWatch } from './channel-frames';
import { NOTICES_QUEUE, channelTopic, guildTopic } from './destinations';
import { guildEventsWatch, GUILD_EVENTS_QUEUE } from './guild-events';
import { guildWatch } from './guild-frames';
import { MemberReloads } from './member-reloads';
import { noticesWatch } from './notices';
import { StompChatTransport } from './stomp-chat-transport';
import { StompConnection, type StompConnectionOptions, type Watch } from './stomp-connection';

export interface ChatSessionOptions extends Omit<StompConnectionOptions, 'connectHeaders'> {
  /** A subscription ended or was refused (e.g. kicked from a guild): the app reloads lists. */
  onAccessLost?: (destination: string, reason: string) => void;
  /** GUILD_DELETE: the guild was deleted, or the user left, was kicked or banned. */
  onGuildLost?: (guildId: string, reason: string) => void;
}

/** ERROR codes that mean the token is at fault: renewing it lets the next attempt through. */
const tokenErrors = new Set(['token_expired', 'token_invalid', 'unauthenticated']);

/**
 * The app's real-time session: a StompConnection wired into the stores. It authenticates with
 * the auth store's token (and pushes each renewed one), mirrors the connection's state in the
 * connection store, hands the stores their transport, and sends each watched channel's and
 * guild's frames to the stores that show them (channel-frames.ts, guild-frames.ts).
 */
export class ChatSession {
  readonly connection: StompConnection;
  readonly transport: StompChatTransport;
  private readonly memberReloads = new MemberReloads();
  private removeTokenListener: (() => void) | null = null;
  private readonly onGuildLost: ChatSessionOptions['onGuildLost'];

  constructor(options: ChatSessionOptions) {
    const { onAccessLost, onGuildLost, ...connectionOptions } = options;
    this.onGuildLost = onGuildLost;
    this.connection = new StompConnection({
      ...connectionOptions,
      connectHeaders: () => ({ Authorization: `Bearer ${useAuthStore().accessToken ?? ''}` }),
    });
    this.transport = new StompChatTransport(this.connection);
    this.wireConnectionState();
    if (onAccessLost) this.connection.on('access-lost', onAccessLost);
  }

  /**
   * This session's own queues besides the errors queue (which the connection reads itself) and
   * what handles each. A new queue is one more entry here with its handler in its own module.
   */
  private personalQueues(): [destination: string, watch: Watch][] {
    return [
      [NOTICES_QUEUE, noticesWatch(this.connection)],
      [GUILD_EVENTS_QUEUE, guildEventsWatch({ onGuildLost: this.onGuildLost })],
    ];
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  start(): void {
    if (this.connection.started) return;
    this.removeTokenListener = useAuthStore().onTokenRefreshed((token) =>
      this.transport.pushToken(token),
    );
    provideTransport(this.transport);
    for (const [destination, watch] of this.personalQueues())
      this.connection.watch(destination, watch);
    this.connection.start();
  }

  async stop(): Promise<void> {
    this.removeTokenListener?.();
    this.removeTokenListener = null;
    this.memberReloads.cancel();
    // before the connection fails what awaits a RECEIPT: a store retrying finds no transport
    provideTransport(null);
    await this.connection.stop();
  }

  goOffline(): void {
    this.connection.goOffline();
  }

  goOnline(): void {
    this.connection.goOnline();
  }

  watchChannel(channelId: string): void {
    this.connection.watch(channelTopic(channelId), channelWatch(channelId, this.memberReloads));
  }

  unwatchChannel(channelId: string): void {
    this.connection.unwatch(channelTopic(channelId));
  }

  watchGuild(guildId: string): void {
    this.connection.watch(guildTopic(guildId), guildWatch(guildId, this.memberReloads));
  }

  unwatchGuild(guildId: string): void {
    this.connection.unwatch(guildTopic(guildId));
  }

  setPresence(status: 'online' | 'idle'): void {
    this.transport.setPresence(status);
  }

  /** The connection's state into the connection store (the reconnecting banner) and the stores. */
  private wireConnectionState(): void {
    const c = this.connection;
    c.on('connecting', () => useConnectionStore().connecting());
    c.on('connected', () => {
      useConnectionStore().connected();
      useMessagesStore().resendInterrupted();
      this.setPresence(
        typeof document !== 'undefined' && document.visibilityState === 'hidden'
          ? 'idle'
          : 'online',
      );
    });
    c.on('error', (code, message) => {
      useConnectionStore().lastError = message;
      if (tokenErrors.has(code)) void useAuthStore().refresh();
    });
    // the last ERROR's message stays on the banner until an attempt succeeds
    c.on('retrying', (delayMs) => {
      const store = useConnectionStore();
      store.lost(store.lastError, delayMs);
    });
    c.on('offline', () => useConnectionStore().offline());
    c.on('stopped', () => useConnectionStore().stopped());
  }
}
