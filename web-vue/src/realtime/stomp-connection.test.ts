import { Backoff } from '@echopulse/service-kit/backoff';
import { FrameRejection } from '../lib/transport';
import { FakeStompClients } from '../testing/fake-stomp-client';
import { ERRORS_QUEUE } from './destinations';
import {
  StompConnection,
  resubscribeDelaysMs,
  type InboundFrame,
  type StompConnectionEvents,
} from './stomp-connection';

/**
 * The connection on its own, over an in-memory client (no socket, no stores) and jest's fake
 * clock: what it subscribes, when it reconnects, how RECEIPTs and refusals settle its promises.
 * chat-session.test.ts runs the same connection against the real broker.
 */
describe('StompConnection', () => {
  let clients: FakeStompClients;
  let token: string;
  let connection: StompConnection;
  let events: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    clients = new FakeStompClients();
    token = 't1';
    events = [];
    connection = new StompConnection({
      url: 'ws://chat.test/ws',
      createClient: clients.create,
      connectHeaders: () => ({ Authorization: `Bearer ${token}` }),
      // random() = 1: each delay is its ceiling, 100, 200, 400, 800, 800 …
      backoff: new Backoff({ initialMs: 100, maxMs: 800, random: () => 1 }),
      receiptTimeoutMs: 5000,
      connectTimeoutMs: 3000,
    });
    const record =
      (name: keyof StompConnectionEvents) =>
      (...args: unknown[]) =>
        events.push([name, ...args].join(' '));
    for (const name of [
      'connecting',
      'connected',
      'retrying',
      'offline',
      'stopped',
      'error',
      'access-lost',
    ] as const)
      connection.on(name, record(name));
  });

  afterEach(async () => {
    await connection.stop();
    jest.useRealTimers();
  });

  function received(destination: string): InboundFrame[] {
    const frames: InboundFrame[] = [];
    connection.watch(destination, { onMessage: (f) => frames.push(f) });
    return frames;
  }

  describe('connecting', () => {
    it('asks for CONNECT headers on every attempt, so a renewed token is used', () => {
      connection.start();
      expect(clients.latest.config.connectHeaders).toEqual({ Authorization: 'Bearer t1' });
      expect(clients.latest.activated).toBe(true);
      token = 't2';
      clients.latest.dropSocket();
      jest.advanceTimersByTime(100);
      expect(clients.all).toHaveLength(2);
      expect(clients.latest.config.connectHeaders).toEqual({ Authorization: 'Bearer t2' });
    });

    it('leaves reconnection to itself: stompjs gets no reconnect delay and no connect timeout', () => {
      connection.start();
      expect(clients.latest.config).toMatchObject({ reconnectDelay: 0, connectionTimeout: 0 });
    });

    it('subscribes the errors queue first, then every destination watched before or after', () => {
      received('/topic/a');
      connection.start();
      expect(clients.latest.live()).toEqual([]);
      clients.latest.acceptConnect();
      received('/topic/b');
      expect(clients.latest.live()).toEqual([ERRORS_QUEUE, '/topic/a', '/topic/b']);
      expect(connection.connected).toBe(true);
      expect(events).toEqual(['connecting', 'connected']);
    });

    it('hands a watched destination its frames, and watching it twice changes nothing', () => {
      const frames = received('/topic/a');
      connection.watch('/topic/a', { onMessage: () => frames.push({ headers: {}, body: 'x' }) });
      connection.start();
      clients.latest.acceptConnect();
      clients.latest.deliver('/topic/a', { event: 'e' }, 'hello');
      expect(frames).toEqual([{ headers: { event: 'e' }, body: 'hello' }]);
      expect(clients.latest.live()).toEqual([ERRORS_QUEUE, '/topic/a']);
    });

    it('reports an ERROR frame with the code its body starts with', () => {
      connection.start();
      clients.latest.sendError('token_expired: the token has expired', 'Token expired');
      expect(events).toContain('error token_expired Token expired');
    });

    it('drops an attempt that does not reach CONNECTED in time, and tries again', () => {
      connection.start();
      jest.advanceTimersByTime(2999);
      expect(clients.all).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(clients.all[0]!.deactivated).toBe(true);
      expect(events).toEqual(['connecting', 'retrying 100']);
      jest.advanceTimersByTime(100);
      expect(clients.all).toHaveLength(2);
    });
  });

  describe('reconnecting', () => {
    it('backs off exponentially while attempts fail, and starts over after a success', () => {
      connection.start();
      for (const delay of [100, 200, 400, 800, 800]) {
        clients.latest.dropSocket();
        expect(events.at(-1)).toBe(`retrying ${delay}`);
        jest.advanceTimersByTime(delay - 1);
        const attempts = clients.all.length;
        jest.advanceTimersByTime(1);
        expect(clients.all).toHaveLength(attempts + 1);
      }
      clients.latest.acceptConnect();
      clients.latest.dropSocket();
      expect(events.at(-1)).toBe('retrying 100');
    });

    it('subscribes every watch again after a reconnect, resuming after where each left off', () => {
      let lastSeq: number | undefined = undefined; // nothing held yet
      connection.watch('/topic/channels/c1', {
        onMessage: () => undefined,
        resumeAfter: () => lastSeq,
      });
      connection.watch('/topic/guilds/g1', { onMessage: () => undefined });
      connection.start();
      clients.latest.acceptConnect();
      expect(clients.latest.subscription('/topic/channels/c1')?.headers).toEqual({});
      lastSeq = 7;
      clients.latest.dropSocket();
      jest.advanceTimersByTime(100);
      clients.latest.acceptConnect();
      expect(clients.latest.live()).toEqual([
        ERRORS_QUEUE,
        '/topic/channels/c1',
        '/topic/guilds/g1',
      ]);
      expect(clients.latest.subscription('/topic/channels/c1')?.headers).toEqual({
        'after-seq': '7',
      });
      expect(clients.latest.subscription('/topic/guilds/g1')?.headers).toEqual({});
    });

    it('makes no attempt while offline, and reconnects at once from a fresh backoff when online', () => {
      connection.start();
      clients.latest.dropSocket(); // backoff now at its second step
      jest.advanceTimersByTime(100);
      clients.latest.acceptConnect();
      connection.goOffline();
      expect(connection.connected).toBe(false);
      expect(events.slice(-2)).toEqual(['offline', 'offline']); // went offline, then socket closed
      jest.advanceTimersByTime(60_000);
      expect(clients.all).toHaveLength(2);
      connection.goOnline();
      expect(clients.all).toHaveLength(3);
      clients.latest.dropSocket();
      expect(events.at(-1)).toBe('retrying 100');
    });

    it('forgets an unwatched destination: UNSUBSCRIBE now, nothing after a reconnect', () => {
      received('/topic/a');
      connection.start();
      clients.latest.acceptConnect();
      connection.unwatch('/topic/a');
      expect(
        clients.latest.subscriptions.find((s) => s.destination === '/topic/a')?.unsubscribed,
      ).toBe(true);
      clients.latest.dropSocket();
      jest.advanceTimersByTime(100);
      clients.latest.acceptConnect();
      expect(clients.latest.live()).toEqual([ERRORS_QUEUE]);
    });

    it('stops for good: pending requests fail, no retry, the client deactivated, "stopped" reported', async () => {
      connection.start();
      clients.latest.acceptConnect();
      const pending = connection.request('/app/x', '');
      await connection.stop();
      await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
      expect(clients.latest.deactivated).toBe(true);
      expect(events.at(-1)).toBe('stopped');
      jest.advanceTimersByTime(60_000);
      expect(clients.all).toHaveLength(1);
    });
  });

  describe('receipts', () => {
    beforeEach(() => {
      connection.start();
      clients.latest.acceptConnect();
    });

    it('resolves with the RECEIPT of the frame sent', async () => {
      const answer = connection.request('/app/x', '{"a":1}');
      const sent = clients.latest.published[0]!;
      expect(sent).toMatchObject({ destination: '/app/x', body: '{"a":1}' });
      expect(sent.headers).toMatchObject({ 'content-type': 'application/json' });
      expect(sent.headers.receipt).toMatch(/^r-/);
      clients.latest.receipt('/app/x', { seq: '3' });
      await expect(answer).resolves.toMatchObject({ headers: { seq: '3' } });
    });

    it('rejects with the refusal that names its receipt-id, code, reason and retry-after', async () => {
      const answer = connection.request('/app/x', '');
      clients.latest.refuse('/app/x', {
        code: 'rate_limited',
        message: 'too fast',
        'retry-after': '2500',
      });
      const error = await answer.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FrameRejection);
      expect(error).toMatchObject({ code: 'rate_limited', reason: 'too fast', retryAfterMs: 2500 });
      expect(connection.connected).toBe(true);
    });

    it('rejects with "timeout" when no answer comes in time', async () => {
      const answer = connection.request('/app/x', '');
      jest.advanceTimersByTime(5000);
      await expect(answer).rejects.toMatchObject({ code: 'timeout' });
    });

    it('rejects every pending request with "disconnected" when the socket closes', async () => {
      const first = connection.request('/app/x', '');
      const second = connection.request('/app/y', '');
      clients.latest.dropSocket();
      await expect(first).rejects.toMatchObject({ code: 'disconnected' });
      await expect(second).rejects.toMatchObject({ code: 'disconnected' });
    });

    it('rejects at once with "disconnected" when not connected, and publish says it sent nothing', async () => {
      connection.goOffline();
      await expect(connection.request('/app/x', '')).rejects.toMatchObject({
        code: 'disconnected',
      });
      expect(connection.publish('/app/y', '')).toBe(false);
      expect(clients.latest.published).toHaveLength(0);
    });

    it('sends plain frames with the content type asked for', () => {
      expect(connection.publish('/app/session/token', 'tok', 'text/plain')).toBe(true);
      expect(clients.latest.published).toEqual([
        {
          destination: '/app/session/token',
          body: 'tok',
          headers: { 'content-type': 'text/plain' },
        },
      ]);
    });
  });

  describe('refused subscriptions', () => {
    const delays = [...resubscribeDelaysMs];
    beforeEach(() => resubscribeDelaysMs.splice(0, resubscribeDelaysMs.length, 300, 1000));
    afterEach(() => resubscribeDelaysMs.splice(0, resubscribeDelaysMs.length, ...delays));

    function refuseSubscribe(destination: string, code: string) {
      clients.latest.deliver(ERRORS_QUEUE, {
        code,
        'rejected-command': 'SUBSCRIBE',
        'rejected-destination': destination,
      });
    }
    const subscribes = (destination: string) =>
      clients.latest.subscriptions.filter((s) => s.destination === destination).length;

    it('subscribes again after each delay while the refusal may be stale, then reports access lost', () => {
      received('/topic/channels/new');
      connection.start();
      clients.latest.acceptConnect();
      refuseSubscribe('/topic/channels/new', 'not_found');
      jest.advanceTimersByTime(299);
      expect(subscribes('/topic/channels/new')).toBe(1);
      jest.advanceTimersByTime(1);
      expect(subscribes('/topic/channels/new')).toBe(2);
      refuseSubscribe('/topic/channels/new', 'forbidden');
      jest.advanceTimersByTime(1000);
      expect(subscribes('/topic/channels/new')).toBe(3);
      refuseSubscribe('/topic/channels/new', 'not_found');
      jest.advanceTimersByTime(10_000);
      expect(subscribes('/topic/channels/new')).toBe(3);
      expect(events.at(-1)).toBe('access-lost /topic/channels/new not_found');
      // no longer watched: not subscribed after a reconnect either
      clients.latest.dropSocket();
      jest.advanceTimersByTime(100);
      clients.latest.acceptConnect();
      expect(clients.latest.live()).toEqual([ERRORS_QUEUE]);
    });

    it('starts the count over once a frame arrived on the destination', () => {
      received('/topic/channels/c');
      connection.start();
      clients.latest.acceptConnect();
      refuseSubscribe('/topic/channels/c', 'not_found');
      jest.advanceTimersByTime(300);
      refuseSubscribe('/topic/channels/c', 'not_found');
      jest.advanceTimersByTime(1000);
      clients.latest.deliver('/topic/channels/c', { event: 'x' });
      refuseSubscribe('/topic/channels/c', 'not_found');
      jest.advanceTimersByTime(300);
      expect(subscribes('/topic/channels/c')).toBe(4);
      expect(events.filter((e) => e.startsWith('access-lost'))).toEqual([]);
    });

    it('reports a refusal that is not about timing at once', () => {
      received('/topic/channels/c');
      connection.start();
      clients.latest.acceptConnect();
      refuseSubscribe('/topic/channels/c', 'invalid_destination');
      jest.advanceTimersByTime(10_000);
      expect(subscribes('/topic/channels/c')).toBe(1);
      expect(events.at(-1)).toBe('access-lost /topic/channels/c invalid_destination');
    });

    it('forgets a subscription the server ended without sending UNSUBSCRIBE', () => {
      received('/topic/guilds/g');
      connection.start();
      clients.latest.acceptConnect();
      connection.ended('/topic/guilds/g', 'kicked');
      expect(clients.latest.subscription('/topic/guilds/g')?.unsubscribed).toBe(false);
      expect(events.at(-1)).toBe('access-lost /topic/guilds/g kicked');
      clients.latest.dropSocket();
      jest.advanceTimersByTime(100);
      clients.latest.acceptConnect();
      expect(clients.latest.live()).toEqual([ERRORS_QUEUE]);
    });
  });
});
