import { HEADERS, TYPING_EVENT, type Notice, type TypingEvent } from '@echopulse/chat-contracts';
import { Permissions, hasPermission } from '@echopulse/guild-contracts';
import type { JwtVerifier, Logger } from '@echopulse/service-kit';
import {
  Broker,
  FrameRejection,
  StompError,
  type AppHandler,
  type InboundInterceptor,
  type Relay,
  type Session,
  type Subscription,
} from '@echopulse/stomp-broker';
import type { AccessChange, AccessService } from '../access';
import { channelTopic } from '../pipeline/fanout';
import type { MessageService } from '../messages/message.service';
import { parseReadMarker } from '../messages/message-input';
import type { HistoryReader } from '../history/history.reader';
import { guildTopic, type PresenceService } from '../presence/presence.service';
import type { ReactionService } from '../reactions/reaction.service';
import type { ReadStateRepository } from '../read-states/read-state.repository';
import { authenticate, principalOfSession, verifyToken } from './authenticate';
import { clientAddressOf } from './client-address';
import { Replayer } from './replay';
import { SessionExpiry } from './session-expiry';

export interface GatewayDependencies {
  verifier: JwtVerifier;
  access: AccessService;
  messages: MessageService;
  history: HistoryReader;
  /** Replayed messages carry their reactions for the subscriber. */
  reactions?: Pick<ReactionService, 'attach'>;
  readStates: ReadStateRepository;
  presence: (broker: Broker) => PresenceService;
  relay?: Relay;
  logger: Logger;
  heartbeatMs: number;
  tokenExpiryWarningMs: number;
  /** Sockets per remote address that may wait for CONNECT (WS_MAX_PENDING_PER_IP). */
  maxPendingPerAddress: number;
  /** Proxies believed about X-Forwarded-For when telling a socket's address (TRUSTED_PROXIES). */
  trustedProxies: readonly string[];
}

const channelPattern = /^\/topic\/channels\/(\d{1,20})$/;
const guildPattern = /^\/topic\/guilds\/(\d{1,20})$/;
const TYPING_MS = 8000;
const json: [string, string] = ['content-type', 'application/json'];

const header = (headers: readonly (readonly [string, string])[], name: string) =>
  headers.find(([n]) => n === name)?.[1];

/**
 * The STOMP side of chat-service: the broker with Keycloak authentication, authorization of
 * every SUBSCRIBE and SEND, replay, live revocation and the /app handlers.
 */
export class Gateway {
  readonly broker: Broker;
  readonly presence: PresenceService;
  private readonly expiry: SessionExpiry;
  private readonly replayer: Replayer;
  private readonly typingSent = new Map<string, number>();

  constructor(private readonly deps: GatewayDependencies) {
    const broker = new Broker({
      path: '/ws',
      heartbeat: [deps.heartbeatMs, deps.heartbeatMs],
      authenticate: authenticate(deps.verifier),
      ...(deps.relay ? { relay: deps.relay } : {}),
      limits: {
        maxSubscriptionsPerSession: 500,
        maxSessionsPerPrincipal: 20,
        maxPendingPerAddress: deps.maxPendingPerAddress,
      },
      clientAddress: clientAddressOf(deps.trustedProxies),
      onError: (error, session) =>
        deps.logger.error({ err: error, session: session?.id }, 'stomp gateway error'),
    });
    this.broker = broker;
    this.presence = deps.presence(broker);
    this.expiry = new SessionExpiry(broker, deps.tokenExpiryWarningMs);
    this.replayer = new Replayer(broker, deps.history, deps.logger, deps.reactions);
    // once per burst (the broker reports it again only after the address had none waiting)
    broker.on('pendingLimit', (remoteAddress, limit) =>
      deps.logger.warn(
        { remoteAddress, limit },
        'refusing WebSockets from an address whose connections are waiting to CONNECT',
      ),
    );
    broker.useInbound(this.guard);
    broker.useOutbound(this.replayer.interceptor);
    broker.on('connected', (session) => void this.quietly(this.presence.set(session, 'online')));
    broker.on(
      'disconnected',
      (session) => void this.quietly(this.presence.set(session, undefined)),
    );
    this.routes();
  }

  start(): void {
    this.expiry.start();
    this.presence.start();
  }

  async stop(graceMs: number): Promise<void> {
    this.expiry.stop();
    this.presence.stop();
    await this.broker.close(graceMs);
  }

  private async quietly(work: Promise<unknown>): Promise<void> {
    await work.catch((error: unknown) =>
      this.deps.logger.warn({ err: error }, 'presence update failed'),
    );
  }

  /** SUBSCRIBE: only channel and guild topics one may see, and one's own user queues. SEND: /app only. */
  private readonly guard: InboundInterceptor = async (frame, session) => {
    if (frame.command === 'SUBSCRIBE') {
      const destination = header(frame.headers, 'destination') ?? '';
      const id = header(frame.headers, 'id') ?? '';
      if (destination.startsWith('/user/queue/')) return;
      const principal = principalOfSession(session);
      const channel = channelPattern.exec(destination);
      if (channel) {
        const channelId = channel[1]!;
        const afterText = header(frame.headers, HEADERS.afterSeq);
        const afterSeq = afterText === undefined ? undefined : Number(afterText);
        if (afterSeq !== undefined && !(Number.isSafeInteger(afterSeq) && afterSeq >= 0)) {
          throw new FrameRejection('invalid_header', 'after-seq must be a whole number ≥ 0.');
        }
        const grant = await this.deps.messages.grant(principal, channelId);
        if (afterSeq !== undefined) {
          if (!hasPermission(grant.permissions, Permissions.READ_MESSAGE_HISTORY)) {
            throw new FrameRejection('forbidden', 'You may not read the history of this channel.');
          }
          if (!session.subscriptions.has(id))
            this.replayer.expect(session, id, channelId, afterSeq);
        }
        return;
      }
      const guild = guildPattern.exec(destination);
      if (guild) {
        if (!(await this.deps.access.canViewGuild(principal, guild[1]!))) {
          throw new FrameRejection('not_found', 'No such guild, or you are no member.');
        }
        return;
      }
      throw new FrameRejection('forbidden', `You cannot subscribe to ${destination}.`);
    }
    if (frame.command === 'SEND') {
      const destination = header(frame.headers, 'destination') ?? '';
      if (!destination.startsWith('/app/')) {
        throw new FrameRejection('forbidden', 'Send to /app/… destinations only.');
      }
    }
  };

  /** A handler whose unexpected failures are refusals (logged), never the end of the session. */
  private handle(template: string, handler: AppHandler): void {
    this.broker.handle(template, async (message) => {
      try {
        await handler(message);
      } catch (error) {
        if (error instanceof FrameRejection || error instanceof StompError) throw error;
        this.deps.logger.error({ err: error, destination: message.destination }, 'handler failed');
        throw new FrameRejection('unavailable', 'That could not be done right now; try again.');
      }
    });
  }

  private routes(): void {
    const { messages, readStates, verifier } = this.deps;
    this.handle('/channels/{channelId}/messages', async (m) => {
      const message = await messages.send(
        principalOfSession(m.session),
        m.params.channelId!,
        m.text(),
      );
      m.addReceiptHeader('message-id', message.id);
      m.addReceiptHeader('seq', String(message.seq));
    });
    this.handle('/channels/{channelId}/messages/{messageId}/edit', async (m) => {
      const message = await messages.edit(
        principalOfSession(m.session),
        m.params.channelId!,
        m.params.messageId!,
        m.text(),
      );
      m.addReceiptHeader('message-id', message.id);
    });
    this.handle('/channels/{channelId}/messages/{messageId}/delete', async (m) => {
      const message = await messages.delete(
        principalOfSession(m.session),
        m.params.channelId!,
        m.params.messageId!,
      );
      m.addReceiptHeader('message-id', message.id);
    });
    this.handle('/channels/{channelId}/typing', async (m) => {
      const principal = principalOfSession(m.session);
      const channelId = m.params.channelId!;
      const grant = await messages.grant(principal, channelId);
      if (!hasPermission(grant.permissions, Permissions.SEND_MESSAGES)) {
        throw new FrameRejection('forbidden', 'You may not send messages here.');
      }
      const key = `${principal.id}/${channelId}`;
      const now = Date.now();
      if (now - (this.typingSent.get(key) ?? 0) < 2000) return; // clients repeat it while typing
      this.typingSent.set(key, now);
      if (this.typingSent.size > 10_000) this.typingSent.clear();
      this.broker.publish(
        channelTopic(channelId),
        JSON.stringify({
          userId: principal.id,
          username: principal.username,
          channelId,
          until: new Date(now + TYPING_MS).toISOString(),
        } satisfies TypingEvent),
        [json, [HEADERS.event, TYPING_EVENT]],
      );
    });
    this.handle('/channels/{channelId}/read', async (m) => {
      const principal = principalOfSession(m.session);
      const { seq } = parseReadMarker(m.text());
      await messages.grant(principal, m.params.channelId!);
      const stored = await readStates.mark(principal.id, m.params.channelId!, seq);
      m.addReceiptHeader('seq', String(stored));
    });
    this.handle('/presence', async (m) => {
      let status: unknown;
      try {
        status = (JSON.parse(m.text()) as { status?: unknown }).status;
      } catch {
        status = undefined;
      }
      if (status !== 'online' && status !== 'idle') {
        throw new FrameRejection('invalid_message', 'Body must be {"status":"online"|"idle"}.');
      }
      await this.presence.set(m.session, status);
    });
    this.handle('/session/token', async (m) => {
      const current = principalOfSession(m.session);
      // a bad new token is refused; the session lives on with the one it has
      const principal = await verifyToken(verifier, m.text().trim() || undefined).catch(
        (error: unknown) => {
          if (error instanceof StompError) throw new FrameRejection(error.code, error.message);
          throw error;
        },
      );
      if (principal.id !== current.id) {
        throw new StompError('token_subject_changed', 'The new token belongs to another user.');
      }
      this.expiry.renewed(principal, m.session.attributes);
    });
  }

  /**
   * After a projection change that may take access away: re-checks the affected local
   * subscriptions and ends those no longer allowed, telling the session why. `'all'` re-checks
   * every one (the change listener reconnected and may have missed notifications).
   */
  async revoke(change: AccessChange | 'all'): Promise<number> {
    const checks: Promise<boolean>[] = [];
    for (const session of this.broker.sessions()) {
      if (!session.principal) continue;
      if (change !== 'all' && change.userId && session.principal.name !== change.userId) continue;
      for (const subscription of session.subscriptions.values()) {
        checks.push(this.recheck(session, subscription, change));
      }
    }
    return (await Promise.all(checks)).filter(Boolean).length;
  }

  private async recheck(
    session: Session,
    subscription: Subscription,
    change: AccessChange | 'all',
  ): Promise<boolean> {
    const cause = change === 'all' ? 'access_resync' : change.cause;
    const principal = principalOfSession(session);
    let allowed: boolean;
    const channel = channelPattern.exec(subscription.destination);
    const guild = guildPattern.exec(subscription.destination);
    if (channel) {
      if (change !== 'all' && change.channelId && change.channelId !== channel[1]) return false;
      const grant = await this.deps.access.channel(principal, channel[1]!);
      // A subscription of another guild is untouched: its grant names its guild.
      if (change !== 'all' && grant && grant.guildId !== change.guildId) return false;
      allowed = !!grant && hasPermission(grant.permissions, Permissions.VIEW_CHANNEL);
    } else if (guild) {
      if (change !== 'all' && guild[1] !== change.guildId) return false;
      allowed = await this.deps.access.canViewGuild(principal, guild[1]!);
    } else {
      return false;
    }
    if (allowed) return false;
    if (!this.broker.unsubscribe(session.id, subscription.id, cause)) return false;
    this.broker.sendToSession(
      session,
      '/queue/notices',
      JSON.stringify({
        type: 'subscription-ended',
        destination: subscription.destination,
        subscription: subscription.id,
        reason: cause,
      } satisfies Notice),
      [json],
    );
    return true;
  }
}

export { channelTopic, guildTopic };
