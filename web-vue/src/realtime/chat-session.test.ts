import {
  Broker,
  FrameRejection as BrokerRejection,
  StompError,
  type Session,
  type Subscription,
} from '@echopulse/stomp-broker';
import type { IStompSocket } from '@stomp/stompjs';
import { createPinia, setActivePinia } from 'pinia';
import WebSocket from 'ws';
import { Backoff } from '@echopulse/service-kit/backoff';
import type { ChatMessage } from '../lib/types';
import { resetAuthListeners, useAuthStore } from '../stores/use-auth-store';
import { useConnectionStore } from '../stores/use-connection-store';
import { useMessagesStore } from '../stores/use-messages-store';
import { usePresenceStore } from '../stores/use-presence-store';
import { useReadStatesStore } from '../stores/use-read-states-store';
import { retryPolicy } from '../stores/use-messages-store';
import { fakeApis } from '../testing/fake-api';
import { member } from '../testing/factories';
import { useMembersStore } from '../stores/use-members-store';
import { provideApi } from '../composables/use-api';
import { ChatSession } from './chat-session';
import { resubscribeDelaysMs } from './stomp-connection';

/**
 * The session against the project's real STOMP broker on 127.0.0.1, playing chat-service's part
 * of the contract (chat-service/README.md, "STOMP contract"): Bearer CONNECT, RECEIPT with
 * message-id and seq, `event` headers, after-seq replay, /user/queue/errors refusals,
 * /app/session/token.
 */
class FakeChat {
  broker!: Broker;
  url = '';
  history: ChatMessage[] = [];
  nonces = new Map<string, ChatMessage>();
  tokens: string[] = [];
  subscribed: { destination: string; afterSeq: string | undefined }[] = [];
  accept = (token: string) => token.startsWith('good-');
  /** Channels refused (not_found) this many more times, as before the projection catches up. */
  unknownFor = new Map<string, number>();

  async start() {
    this.broker = new Broker({
      path: '/ws',
      heartbeat: [0, 0],
      authenticate: async ({ frame }) => {
        const auth = frame.headers.find(([n]) => n === 'Authorization')?.[1] ?? '';
        if (!this.accept(auth.replace(/^Bearer /, '')))
          throw new StompError('unauthenticated', 'A valid bearer token is required.');
        return { name: 'alice' };
      },
      inbound: [
        (frame) => {
          if (frame.command !== 'SUBSCRIBE') return;
          const destination = frame.headers.find(([n]) => n === 'destination')?.[1] ?? '';
          const left = this.unknownFor.get(destination) ?? 0;
          if (left > 0) {
            this.unknownFor.set(destination, left - 1);
            throw new BrokerRejection('not_found', 'Unknown channel.');
          }
        },
      ],
    });
    this.broker.handle('/channels/{channelId}/messages', (m) => {
      const channelId = m.params.channelId!;
      if (channelId === 'closed')
        throw new BrokerRejection('forbidden', 'You may not send messages here.');
      const body = JSON.parse(m.text()) as { content: string; nonce: string };
      const message = this.nonces.get(body.nonce) ?? this.produce(channelId, body.content, 'alice');
      this.nonces.set(body.nonce, message);
      m.addReceiptHeader('message-id', message.id);
      m.addReceiptHeader('seq', String(message.seq));
    });
    this.broker.handle('/channels/{channelId}/messages/{messageId}/edit', (m) => {
      const message = this.history.find((x) => x.id === m.params.messageId)!;
      message.content = (JSON.parse(m.text()) as { content: string }).content;
      message.editedAt = new Date().toISOString();
      this.deliver('message.updated', message);
    });
    this.broker.handle('/session/token', (m) => void this.tokens.push(m.text()));
    this.broker.handle('/presence', () => undefined);
    this.broker.on('subscribed', (s: Subscription) => {
      const afterSeq = s.headers.find(([n]) => n === 'after-seq')?.[1];
      this.subscribed.push({ destination: s.destination, afterSeq });
      const channelId = /^\/topic\/channels\/(.+)$/.exec(s.destination)?.[1];
      if (channelId && afterSeq !== undefined) {
        for (const message of this.history.filter(
          (x) => x.channelId === channelId && x.seq > Number(afterSeq),
        )) {
          this.broker.sendToSubscription(s.session.id, s.id, JSON.stringify(message), [
            ['event', 'message.created'],
            ['seq', String(message.seq)],
          ]);
        }
      }
    });
    const listening = await this.broker.listen(0, '127.0.0.1');
    this.url = `ws://127.0.0.1:${listening.port}/ws`;
  }

  /** A new message from anyone, as chat-service's pipeline would fan it out. */
  produce(channelId: string, content: string, author: string): ChatMessage {
    const seq = this.history.filter((x) => x.channelId === channelId).length + 1;
    const message: ChatMessage = {
      id: `${channelId}-${seq}`,
      seq,
      channelId,
      guildId: 'g1',
      author: { id: author, username: author },
      content,
      mentions: { users: [], everyone: false },
      createdAt: new Date().toISOString(),
    };
    this.history.push(message);
    this.deliver('message.created', message);
    return message;
  }

  deliver(event: string, message: ChatMessage) {
    this.broker.publish(`/topic/channels/${message.channelId}`, JSON.stringify(message), [
      ['content-type', 'application/json'],
      ['event', event],
      ['seq', String(message.seq)],
    ]);
  }

  sessions(): Session[] {
    return [...this.broker.sessions()];
  }
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ChatSession against the STOMP broker', () => {
  let chat: FakeChat;
  let session: ChatSession;

  const sendDelays = retryPolicy.sendDelaysMs;
  const resubscribeDelays = [...resubscribeDelaysMs];
  beforeEach(async () => {
    setActivePinia(createPinia());
    resetAuthListeners();
    retryPolicy.sendDelaysMs = [];
    resubscribeDelaysMs.splice(0, resubscribeDelaysMs.length, 10, 20);
    useAuthStore().$patch({
      status: 'authenticated',
      accessToken: 'good-1',
      userId: 'alice',
      username: 'alice',
    });
    chat = new FakeChat();
    await chat.start();
    session = new ChatSession({
      url: chat.url,
      webSocketFactory: () =>
        new WebSocket(chat.url, ['v12.stomp', 'v11.stomp', 'v10.stomp']) as unknown as IStompSocket,
      backoff: new Backoff({ initialMs: 20, maxMs: 100 }),
      receiptTimeoutMs: 3000,
      heartbeatMs: 0,
    });
  });

  afterEach(async () => {
    retryPolicy.sendDelaysMs = sendDelays;
    resubscribeDelaysMs.splice(0, resubscribeDelaysMs.length, ...resubscribeDelays);
    await session.stop();
    await chat.broker.close();
  });

  it('sends with a nonce; the RECEIPT confirms the message and its echo does not double it', async () => {
    session.watchChannel('c1');
    session.start();
    await until(
      () => chat.subscribed.some((s) => s.destination === '/topic/channels/c1'),
      'the subscription',
    );
    expect(useConnectionStore().status).toBe('connected');
    const messages = useMessagesStore();
    await messages.send('c1', 'g1', 'hello');
    expect(messages.visible('c1')).toMatchObject([
      { id: 'c1-1', seq: 1, state: 'confirmed', content: 'hello' },
    ]);
    await until(
      () => messages.visible('c1')[0]!.nonce === undefined,
      'the echo replacing the local copy',
    );
    expect(messages.visible('c1')).toHaveLength(1);
  });

  it('turns a refusal on /user/queue/errors into a failed message in plain words', async () => {
    session.start();
    await until(() => session.connected, 'the connection');
    await until(
      () => chat.subscribed.some((s) => s.destination === '/user/queue/errors'),
      'the errors queue',
    );
    const messages = useMessagesStore();
    await messages.send('closed', 'g1', 'let me in');
    expect(messages.visible('closed')).toMatchObject([
      { state: 'failed', failure: "You don't have permission to do that in this channel." },
    ]);
    expect(session.connected).toBe(true); // a refusal keeps the session
  });

  it('subscribes again when chat-service does not know a new channel yet, then gets its traffic', async () => {
    chat.unknownFor.set('/topic/channels/fresh', 2);
    session.watchChannel('fresh');
    session.start();
    await until(
      () => chat.subscribed.some((s) => s.destination === '/topic/channels/fresh'),
      'the third SUBSCRIBE',
    );
    chat.produce('fresh', 'made it', 'bob');
    await until(() => useMessagesStore().visible('fresh').length === 1, 'the message');
  });

  it('reports access lost once the refusals outlast the retries', async () => {
    const lost: string[] = [];
    await session.stop();
    session = new ChatSession({
      url: chat.url,
      webSocketFactory: () =>
        new WebSocket(chat.url, ['v12.stomp', 'v11.stomp', 'v10.stomp']) as unknown as IStompSocket,
      heartbeatMs: 0,
      onAccessLost: (destination) => lost.push(destination),
    });
    chat.unknownFor.set('/topic/channels/gone', 99);
    session.watchChannel('gone');
    session.start();
    await until(() => lost.length === 1, 'the access-lost report');
    expect(lost).toEqual(['/topic/channels/gone']);
    expect(chat.unknownFor.get('/topic/channels/gone')).toBe(99 - 3); // first try + two retries
  });

  it('delivers live edits and counts unread messages from others once', async () => {
    session.watchChannel('c1');
    session.start();
    await until(
      () => chat.subscribed.some((s) => s.destination === '/topic/channels/c1'),
      'the subscription',
    );
    const first = chat.produce('c1', 'from bob', 'bob');
    await until(() => useMessagesStore().visible('c1').length === 1, 'the message');
    chat.deliver('message.created', first); // at-least-once underneath: a second delivery
    chat.deliver('message.updated', {
      ...first,
      content: 'from bob, edited',
      editedAt: new Date().toISOString(),
    });
    await until(
      () => useMessagesStore().visible('c1')[0]?.content === 'from bob, edited',
      'the edit',
    );
    expect(useMessagesStore().visible('c1')).toHaveLength(1);
    expect(useReadStatesStore().unread('c1')).toBe(1);
  });

  it('reconnects after a drop and replays what it missed after the last seq, exactly once', async () => {
    session.watchChannel('c1');
    session.start();
    await until(
      () => chat.subscribed.some((s) => s.destination === '/topic/channels/c1'),
      'the subscription',
    );
    chat.produce('c1', 'before', 'bob');
    await until(() => useMessagesStore().lastSeq('c1') === 1, 'the first message');

    session.goOffline(); // the browser's "offline" event
    await until(() => !session.connected, 'the drop');
    expect(useConnectionStore().status).toBe('offline');
    chat.produce('c1', 'missed 1', 'bob');
    chat.produce('c1', 'missed 2', 'bob');
    chat.produce('c1', 'missed 3', 'bob');
    await new Promise((r) => setTimeout(r, 150)); // offline: no attempt is made
    expect(chat.sessions()).toHaveLength(0);

    chat.subscribed = [];
    session.goOnline();
    await until(() => useMessagesStore().visible('c1').length === 4, 'the replay');
    expect(chat.subscribed.find((s) => s.destination === '/topic/channels/c1')?.afterSeq).toBe('1');
    expect(
      useMessagesStore()
        .visible('c1')
        .map((m) => m.content),
    ).toEqual(['before', 'missed 1', 'missed 2', 'missed 3']);
    expect(useConnectionStore().status).toBe('connected');
  });

  it('retries with backoff while the server refuses, and shows it', async () => {
    chat.accept = () => false;
    session.start();
    await until(() => useConnectionStore().attempts >= 2, 'two failed attempts');
    expect(session.connected).toBe(false);
    chat.accept = (t) => t.startsWith('good-');
    await until(() => session.connected, 'the connection once tokens are accepted');
    expect(useConnectionStore().attempts).toBe(0);
  });

  it('pushes each renewed token to /app/session/token', async () => {
    session.start();
    await until(() => session.connected, 'the connection');
    useAuthStore().adopt({ access_token: 'good-2', profile: { sub: 'alice' } });
    await until(() => chat.tokens.length === 1, 'the token push');
    expect(chat.tokens).toEqual(['good-2']);
  });

  it('reloads the member list when someone unknown shows up in a guild', async () => {
    const apis = fakeApis();
    apis.server.on('GET /guilds/g1/members?limit=100', {
      items: [member('alice'), member('carol')],
      next: null,
    });
    provideApi(apis);
    useMembersStore().byGuild.g1 = [member('alice')];
    session.watchGuild('g1');
    session.start();
    await until(
      () => chat.subscribed.some((s) => s.destination === '/topic/guilds/g1'),
      'the guild',
    );
    chat.broker.publish('/topic/guilds/g1', JSON.stringify({ userId: 'alice', status: 'online' }), [
      ['event', 'presence'],
    ]);
    chat.broker.publish('/topic/guilds/g1', JSON.stringify({ userId: 'carol', status: 'online' }), [
      ['event', 'presence'],
    ]);
    await until(() => useMembersStore().member('g1', 'carol') !== undefined, 'the reload');
    expect(apis.server.calls).toHaveLength(1);
    provideApi(null);
  });

  it('hands typing and presence to the presence store', async () => {
    session.watchChannel('c1');
    session.watchGuild('g1');
    session.start();
    await until(() => chat.subscribed.length >= 4, 'the subscriptions');
    chat.broker.publish(
      '/topic/channels/c1',
      JSON.stringify({
        userId: 'bob',
        username: 'bob',
        channelId: 'c1',
        until: new Date(Date.now() + 8000).toISOString(),
      }),
      [['event', 'typing']],
    );
    chat.broker.publish('/topic/guilds/g1', JSON.stringify({ userId: 'bob', status: 'idle' }), [
      ['event', 'presence'],
    ]);
    await until(() => usePresenceStore().status('g1', 'bob') === 'idle', 'presence');
    await until(() => usePresenceStore().typers('c1', 'alice').length === 1, 'typing');
  });
});
