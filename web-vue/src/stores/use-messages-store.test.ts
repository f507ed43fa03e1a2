import { createPinia, setActivePinia } from 'pinia';
import { ApiError, provideApi } from '../composables/use-api';
import {
  FrameRejection,
  provideTransport,
  type ChatTransport,
  type SendReceipt,
} from '../lib/transport';
import { fakeApis } from '../testing/fake-api';
import { ALICE, BOB, message } from '../testing/factories';
import { useAuthStore } from './use-auth-store';
import { PAGE_SIZE, retryPolicy, useMessagesStore } from './use-messages-store';
import { useReadStatesStore } from './use-read-states-store';

/** A transport whose sends settle when the test says so. */
class ControlledTransport implements ChatTransport {
  sends: {
    channelId: string;
    body: { content: string; nonce: string };
    settle: (r: SendReceipt | Error) => void;
  }[] = [];
  edits: [string, string, string][] = [];
  deletes: [string, string][] = [];
  failNext: Error | null = null;

  sendMessage(channelId: string, body: { content: string; nonce: string }): Promise<SendReceipt> {
    return new Promise((resolve, reject) => {
      this.sends.push({
        channelId,
        body,
        settle: (r) => (r instanceof Error ? reject(r) : resolve(r)),
      });
    });
  }
  async editMessage(channelId: string, messageId: string, content: string) {
    this.edits.push([channelId, messageId, content]);
    if (this.failNext) throw this.failNext;
  }
  async deleteMessage(channelId: string, messageId: string) {
    this.deletes.push([channelId, messageId]);
    if (this.failNext) throw this.failNext;
  }
  reads: [string, number][] = [];
  typing() {}
  markRead(channelId: string, seq: number) {
    this.reads.push([channelId, seq]);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition not reached');
}

describe('messages store', () => {
  let transport: ControlledTransport;
  let apis: ReturnType<typeof fakeApis>;

  const policy = { ...retryPolicy };
  beforeEach(() => {
    setActivePinia(createPinia());
    // no retries unless a test asks for them
    retryPolicy.sendDelaysMs = [];
    retryPolicy.loadDelaysMs = [];
    transport = new ControlledTransport();
    provideTransport(transport);
    apis = fakeApis();
    provideApi(apis);
    useAuthStore().$patch({
      status: 'authenticated',
      accessToken: 't',
      userId: ALICE,
      username: 'alice',
    });
  });
  afterEach(() => {
    provideTransport(null);
    provideApi(null);
    Object.assign(retryPolicy, policy);
  });

  describe('ingest', () => {
    it('keeps messages in seq order and drops a second delivery of the same seq', () => {
      const store = useMessagesStore();
      expect(store.ingest('message.created', message(2))).toBe(true);
      expect(store.ingest('message.created', message(1))).toBe(true);
      expect(store.ingest('message.created', message(2))).toBe(false);
      expect(store.ingest('message.created', message(3))).toBe(true);
      expect(store.visible('c1').map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(store.lastSeq('c1')).toBe(3);
    });

    it('replaces an edited message and removes a deleted one, keeping lastSeq', () => {
      const store = useMessagesStore();
      store.ingest('message.created', message(1));
      store.ingest('message.created', message(2));
      store.ingest(
        'message.updated',
        message(1, { content: 'fixed', editedAt: '2026-01-01T13:00:00Z' }),
      );
      store.ingest(
        'message.deleted',
        message(2, { content: '', deletedAt: '2026-01-01T13:00:00Z' }),
      );
      expect(store.visible('c1').map((m) => [m.seq, m.content, m.editedAt])).toEqual([
        [1, 'fixed', '2026-01-01T13:00:00Z'],
      ]);
      expect(store.lastSeq('c1')).toBe(2);
      // a replay of the deleted message's creation after its delete does not bring it back
      expect(
        store.ingest('message.created', message(2, { deletedAt: '2026-01-01T13:00:00Z' })),
      ).toBe(false);
    });
  });

  describe('history', () => {
    it('loads the newest page, merges it with live messages, and pages upward', async () => {
      const store = useMessagesStore();
      const page = (from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
      apis.chat.on(`GET /channels/c1/messages?limit=${PAGE_SIZE}`, page(51, 100));
      apis.chat.on(`GET /channels/c1/messages?before=51&limit=${PAGE_SIZE}`, page(1, 50));
      store.ingest('message.created', message(100)); // live, before history came back
      await store.loadLatest('c1');
      expect(store.visible('c1')).toHaveLength(50);
      expect(store.channel('c1').hasMoreBefore).toBe(true);
      await expect(store.loadOlder('c1')).resolves.toBe(50);
      expect(store.visible('c1').map((m) => m.seq)).toEqual(page(1, 100).map((m) => m.seq));
      expect(store.channel('c1').hasMoreBefore).toBe(false);
      await expect(store.loadOlder('c1')).resolves.toBe(0);
      expect(apis.chat.calls).toHaveLength(2);
    });

    it('leaves deleted messages out of history', async () => {
      const store = useMessagesStore();
      apis.chat.on(`GET /channels/c1/messages?limit=${PAGE_SIZE}`, [
        message(1),
        message(2, { content: '', deletedAt: '2026-01-01T13:00:00Z' }),
      ]);
      await store.loadLatest('c1');
      expect(store.visible('c1').map((m) => m.seq)).toEqual([1]);
      expect(store.lastSeq('c1')).toBe(2);
      expect(store.channel('c1').hasMoreBefore).toBe(false);
    });
  });

  describe('optimistic send', () => {
    it('shows the message pending at once and confirms it with the RECEIPT id and seq', async () => {
      const store = useMessagesStore();
      const sending = store.send('c1', 'g1', 'hello');
      expect(store.visible('c1')).toMatchObject([
        { content: 'hello', state: 'pending', author: { id: ALICE } },
      ]);
      const { body } = transport.sends[0]!;
      expect(body.nonce).toMatch(/^[a-z0-9-]{3,64}$/);
      transport.sends[0]!.settle({ messageId: 'm7', seq: 7 });
      await sending;
      expect(store.visible('c1')).toMatchObject([
        { id: 'm7', seq: 7, state: 'confirmed', content: 'hello' },
      ]);
      // the same message arriving on the topic afterwards replaces the local copy, not doubles it
      const key = store.visible('c1')[0]!.key;
      expect(
        store.ingest(
          'message.created',
          message(7, { id: 'm7', author: { id: ALICE, username: 'alice' }, content: 'hello' }),
        ),
      ).toBe(false);
      expect(store.visible('c1')).toHaveLength(1);
      expect(store.visible('c1')[0]!.key).toBe(key);
      expect(store.lastSeq('c1')).toBe(7);
    });

    it('issue #12 bug 2: a confirmed send of mine moves the read marker to it', async () => {
      const readStates = useReadStatesStore();
      readStates.byChannel.c1 = {
        channelId: 'c1',
        guildId: 'g1',
        lastReadSeq: 3,
        lastSeq: 3,
        unreadCount: 0,
        mentionCount: 0,
      };
      const store = useMessagesStore();
      const sending = store.send('c1', 'g1', 'hello');
      transport.sends[0]!.settle({ messageId: 'm4', seq: 4 });
      await sending;
      expect(readStates.lastRead('c1')).toBe(4);
      expect(readStates.unread('c1')).toBe(0);
      expect(transport.reads).toEqual([['c1', 4]]);
    });

    it('marks a refused send failed with the reason, and a retry resends the same nonce', async () => {
      const store = useMessagesStore();
      const sending = store.send('c1', 'g1', 'not here');
      transport.sends[0]!.settle(new FrameRejection('forbidden', 'no'));
      await sending;
      const [failed] = store.visible('c1');
      expect(failed).toMatchObject({ state: 'failed', content: 'not here' });
      expect(failed!.failure).toBe(new FrameRejection('forbidden', 'no').message);

      const retrying = store.retry('c1', failed!.nonce!);
      await until(() => transport.sends.length === 2);
      expect(store.visible('c1')[0]!.state).toBe('pending');
      expect(transport.sends[1]!.body.nonce).toBe(transport.sends[0]!.body.nonce);
      transport.sends[1]!.settle({ messageId: 'm1', seq: 1 });
      await retrying;
      expect(store.visible('c1')).toMatchObject([{ id: 'm1', state: 'confirmed' }]);
    });

    it('issue #12 bug 3: queues what was refused for rate, sends it in order when allowed, fails none', async () => {
      const store = useMessagesStore();
      const all = ['one', 'two', 'three'].map((text) => store.send('c1', 'g1', text));
      // one at a time, in order: the second is not sent before the first is answered
      expect(transport.sends).toHaveLength(1);
      transport.sends[0]!.settle({ messageId: 'm1', seq: 1 });
      await until(() => transport.sends.length === 2);
      transport.sends[1]!.settle(new FrameRejection('rate_limited', 'slow down', 40));
      await until(() => store.throttled('c1'));
      // one state for the channel, nothing failed, nothing sent while refused
      expect(store.queued('c1')).toBe(2);
      expect(store.visible('c1').map((m) => m.state)).toEqual(['confirmed', 'pending', 'pending']);
      expect(transport.sends).toHaveLength(2);
      // after retry-after, the same message (same nonce) goes first, then the next
      await until(() => transport.sends.length === 3);
      expect(transport.sends[2]!.body).toEqual(transport.sends[1]!.body);
      expect(store.throttled('c1')).toBe(false);
      transport.sends[2]!.settle({ messageId: 'm2', seq: 2 });
      await until(() => transport.sends.length === 4);
      expect(transport.sends[3]!.body.content).toBe('three');
      transport.sends[3]!.settle({ messageId: 'm3', seq: 3 });
      await Promise.all(all);
      expect(store.visible('c1').map((m) => [m.content, m.seq, m.state])).toEqual([
        ['one', 1, 'confirmed'],
        ['two', 2, 'confirmed'],
        ['three', 3, 'confirmed'],
      ]);
      expect(store.queued('c1')).toBe(0);
    });

    it('without seq on the RECEIPT, confirms by the echo on the topic', async () => {
      const store = useMessagesStore();
      const sending = store.send('c1', 'g1', 'echo me');
      transport.sends[0]!.settle({});
      await sending;
      expect(store.visible('c1')[0]!.state).toBe('pending');
      store.ingest(
        'message.created',
        message(4, { author: { id: ALICE, username: 'alice' }, content: 'echo me' }),
      );
      expect(store.visible('c1')).toMatchObject([
        { seq: 4, state: 'confirmed', content: 'echo me' },
      ]);
    });

    it('when the echo comes before a bare RECEIPT, shows the message once', async () => {
      const store = useMessagesStore();
      const sending = store.send('c1', 'g1', 'fast echo');
      store.ingest(
        'message.created',
        message(1, { author: { id: ALICE, username: 'alice' }, content: 'fast echo' }),
      );
      transport.sends[0]!.settle({});
      await sending;
      expect(store.visible('c1')).toMatchObject([{ seq: 1, state: 'confirmed' }]);
    });

    it('resends after a reconnect what failed only because the connection was gone', async () => {
      const store = useMessagesStore();
      const offline = store.send('c1', 'g1', 'sent while offline');
      transport.sends[0]!.settle(new FrameRejection('disconnected', ''));
      await offline;
      const refused = store.send('c1', 'g1', 'not allowed');
      transport.sends[1]!.settle(new FrameRejection('invalid_message', 'empty'));
      await refused;
      expect(store.visible('c1').map((m) => m.state)).toEqual(['failed', 'failed']);

      store.resendInterrupted();
      await until(() => transport.sends.length === 3);
      expect(transport.sends[2]!.body).toEqual(transport.sends[0]!.body);
      transport.sends[2]!.settle({ messageId: 'm1', seq: 1 });
      await until(() => store.visible('c1')[0]?.state === 'confirmed');
      expect(store.visible('c1').map((m) => [m.content, m.state])).toEqual([
        ['sent while offline', 'confirmed'],
        ['not allowed', 'failed'],
      ]);
    });

    it('discards a failed message on request', async () => {
      const store = useMessagesStore();
      const sending = store.send('c1', 'g1', 'nope');
      transport.sends[0]!.settle(new FrameRejection('forbidden', 'no'));
      await sending;
      store.discard('c1', store.visible('c1')[0]!.nonce!);
      expect(store.visible('c1')).toEqual([]);
    });
  });

  describe('while chat-service has not caught up with server-service', () => {
    it('sends again under the same nonce after not_found, and succeeds', async () => {
      retryPolicy.sendDelaysMs = [5, 5];
      const store = useMessagesStore();
      const sending = store.send('c1', 'g1', 'first in a new channel');
      transport.sends[0]!.settle(new FrameRejection('not_found', 'Unknown channel.'));
      await until(() => transport.sends.length === 2);
      expect(store.visible('c1')[0]!.state).toBe('pending');
      expect(transport.sends[1]!.body.nonce).toBe(transport.sends[0]!.body.nonce);
      transport.sends[1]!.settle({ messageId: 'm1', seq: 1 });
      await sending;
      expect(store.visible('c1')).toMatchObject([{ id: 'm1', state: 'confirmed' }]);
    });

    it('gives up after the last delay, and never retries a refusal that will not change', async () => {
      retryPolicy.sendDelaysMs = [5];
      const store = useMessagesStore();
      const sending = store.send('c1', 'g1', 'x');
      transport.sends[0]!.settle(new FrameRejection('forbidden', ''));
      await until(() => transport.sends.length === 2);
      transport.sends[1]!.settle(new FrameRejection('forbidden', ''));
      await sending;
      expect(store.visible('c1')[0]!.state).toBe('failed');

      const invalid = store.send('c1', 'g1', 'y');
      transport.sends[2]!.settle(new FrameRejection('invalid_message', 'too long'));
      await invalid;
      expect(transport.sends).toHaveLength(3);
      expect(store.visible('c1')[1]).toMatchObject({
        state: 'failed',
        failure: 'That message was not accepted: too long',
      });
    });

    it('loads history again after a 404 from chat-service', async () => {
      retryPolicy.loadDelaysMs = [5];
      let calls = 0;
      apis.chat.on(`GET /channels/c1/messages?limit=${PAGE_SIZE}`, () => {
        calls += 1;
        if (calls === 1) throw new ApiError(404, { code: 'not_found' });
        return [message(1)];
      });
      const store = useMessagesStore();
      await store.loadLatest('c1');
      expect(store.visible('c1').map((m) => m.seq)).toEqual([1]);
      expect(calls).toBe(2);
    });
  });

  describe('edit and delete', () => {
    it('edits at once and rolls back when chat-service refuses', async () => {
      const store = useMessagesStore();
      store.ingest('message.created', message(1, { author: { id: ALICE, username: 'alice' } }));
      await store.edit('c1', 'm1', 'new text');
      expect(store.visible('c1')[0]).toMatchObject({ content: 'new text' });
      expect(transport.edits).toEqual([['c1', 'm1', 'new text']]);

      transport.failNext = new FrameRejection('forbidden', '');
      await expect(store.edit('c1', 'm1', 'other')).rejects.toBeInstanceOf(FrameRejection);
      expect(store.visible('c1')[0]).toMatchObject({ content: 'new text' });
    });

    it('deletes at once and restores the message when refused', async () => {
      const store = useMessagesStore();
      store.ingest('message.created', message(1));
      store.ingest('message.created', message(2));
      transport.failNext = new FrameRejection('forbidden', '');
      const removing = store.remove('c1', 'm1');
      expect(store.visible('c1').map((m) => m.seq)).toEqual([2]);
      await expect(removing).rejects.toBeInstanceOf(FrameRejection);
      expect(store.visible('c1').map((m) => m.seq)).toEqual([1, 2]);
      transport.failNext = null;
      await store.remove('c1', 'm1');
      expect(store.visible('c1').map((m) => m.seq)).toEqual([2]);
      await flush();
    });
  });

  it('finds my newest message for the Up key', () => {
    const store = useMessagesStore();
    store.ingest('message.created', message(1, { author: { id: ALICE, username: 'alice' } }));
    store.ingest('message.created', message(2, { author: { id: BOB, username: 'bob' } }));
    expect(store.lastOwn('c1', ALICE)?.seq).toBe(1);
  });
});
