// Hooks: authentication, inbound and outbound interceptors, lifecycle events, errors that leak
// nothing, refusals that keep the session, and ending sessions/subscriptions from outside.
// Over the in-memory transport: deterministic, no sockets.
import { once } from 'node:events';
import { Broker, FrameRejection, StompError, type BrokerOptions } from '../src';
import { loginAuth } from './harness';
import { frame, RawClient } from './raw-client';

let broker: Broker;
const clients: RawClient[] = [];

async function start(options: BrokerOptions = {}): Promise<void> {
  broker = new Broker({ heartbeat: [0, 0], ...options });
  await broker.start();
}
function open(): RawClient {
  const { client } = RawClient.memory(broker);
  clients.push(client);
  return client;
}
async function connect(headers: Record<string, string> = {}): Promise<RawClient> {
  const c = open();
  await c.connect(headers);
  return c;
}
async function subscribe(c: RawClient, destination: string, id = 's'): Promise<void> {
  c.send(frame('SUBSCRIBE', { id, destination, receipt: `sub-${id}` }));
  expect((await c.next()).headers['receipt-id']).toBe(`sub-${id}`);
}

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await broker.close();
});

describe('authentication on CONNECT', () => {
  it('sets the principal from a passcode, or refuses with ERROR and closes', async () => {
    await start({
      authenticate: async ({ frame: f }) => {
        const passcode = f.headers.find(([n]) => n === 'passcode')?.[1];
        if (passcode !== 'secret') throw new StompError('unauthenticated', 'Bad credentials.');
        return loginAuth!({ frame: f } as never);
      },
    });
    const ok = await connect({ login: 'alice', passcode: 'secret' });
    expect(broker.sessionsOf('alice')).toHaveLength(1);
    expect(broker.sessionsOf('alice')[0]!.principal).toEqual({ name: 'alice' });
    const bad = open();
    bad.send(frame('CONNECT', { 'accept-version': '1.2', login: 'alice', passcode: 'wrong' }));
    const error = await bad.next();
    expect(error.headers.message).toBe('Bad credentials.');
    expect(error.body.toString()).toMatch(/^unauthenticated/);
    await bad.closed;
    expect(ok.isOpen).toBe(true);
  });

  it('lets an inbound interceptor authenticate from an Authorization header', async () => {
    await start({
      inbound: [
        (f, session) => {
          if (f.command !== 'CONNECT') return;
          const auth = f.headers.find(([n]) => n === 'Authorization')?.[1];
          if (auth !== 'Bearer good') throw new StompError('unauthenticated', 'Token refused.');
          session.principal = { name: 'u-1', roles: ['user'] };
        },
      ],
    });
    const c = await connect({ Authorization: 'Bearer good' });
    expect(broker.sessionsOf('u-1')).toHaveLength(1);
    void c;
    const bad = open();
    bad.send(frame('CONNECT', { 'accept-version': '1.2', Authorization: 'Bearer bad' }));
    expect((await bad.next()).headers.message).toBe('Token refused.');
  });
});

describe('inbound interceptors', () => {
  it('see every frame strictly in order, even when async; false skips a frame', async () => {
    const seen: string[] = [];
    await start({
      inbound: [
        async (f) => {
          const body = f.body.toString();
          // A slow hook on one frame must hold the frames behind it.
          if (body === 'slow') await new Promise((r) => setTimeout(r, 30));
          seen.push(body || f.command);
          return body !== 'skip';
        },
      ],
    });
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/i' }));
    a.send(frame('SEND', { destination: '/topic/i' }, 'slow'));
    a.send(frame('SEND', { destination: '/topic/i', receipt: 'skipped' }, 'skip'));
    a.send(frame('SEND', { destination: '/topic/i' }, 'fast'));
    const got = await a.sync();
    expect(got.map((m) => m.body.toString())).toEqual(['slow', 'fast']);
    expect(seen).toEqual(['CONNECT', 'SUBSCRIBE', 'slow', 'skip', 'fast', 'UNSUBSCRIBE']);
    expect(a.isOpen).toBe(true);
  });

  it('refuse a frame with FrameRejection: no RECEIPT, a notice on /user/queue/errors, session kept', async () => {
    await start({
      authenticate: loginAuth,
      inbound: [
        (f) => {
          if (
            f.command === 'SEND' &&
            f.headers.some(([n, v]) => n === 'destination' && v === '/topic/locked')
          )
            throw new FrameRejection('forbidden', 'You may not post here.', [
              ['retry-after', '1500'],
            ]);
        },
      ],
    });
    const rejected = once(broker, 'rejected');
    const a = await connect({ login: 'al' });
    await subscribe(a, '/user/queue/errors', 'e');
    await subscribe(a, '/topic/locked', 't');
    a.send(frame('SEND', { destination: '/topic/locked', receipt: 'r1' }, 'x'));
    const [notice, ...rest] = await a.sync();
    expect(rest).toEqual([]);
    expect(notice!.headers).toMatchObject({
      subscription: 'e',
      destination: '/user/queue/errors',
      code: 'forbidden',
      message: 'You may not post here.',
      'receipt-id': 'r1',
      'rejected-destination': '/topic/locked',
      'retry-after': '1500',
    });
    const [session, rejection] = await rejected;
    expect(session.principal.name).toBe('al');
    expect(rejection.error.code).toBe('forbidden');
    expect(broker.metrics.rejections).toBe(1);
    expect(a.isOpen).toBe(true);
  });

  it('turn a StompError into that ERROR, and anything else into one that leaks nothing', async () => {
    const reported: unknown[] = [];
    await start({
      onError: (e) => reported.push(e),
      inbound: [
        (f) => {
          const body = f.body.toString();
          if (body === 'refuse') throw new StompError('forbidden', 'You may not.');
          if (body === 'crash') throw new Error('db password is hunter2');
        },
      ],
    });
    const a = await connect();
    a.send(frame('SEND', { destination: '/topic/x', receipt: 'r' }, 'refuse'));
    const refused = await a.next();
    expect(refused.headers).toMatchObject({ message: 'You may not.', 'receipt-id': 'r' });
    await a.closed;
    const b = await connect();
    b.send(frame('SEND', { destination: '/topic/x' }, 'crash'));
    const error = await b.next();
    expect(error.headers.message).toBe('Internal server error.');
    expect(error.body.toString()).toBe('internal_error: Internal server error.');
    expect(JSON.stringify(b.messages.map((m) => m.data.toString()))).not.toContain('hunter2');
    expect(reported).toHaveLength(1);
    expect(await b.closed).toBe(1011);
  });
});

describe('outbound interceptors', () => {
  it('may drop a MESSAGE for one session, or change it for one session only', async () => {
    await start({
      outbound: [
        (message, session) => {
          if (session.attributes.get('muted')) return false;
          if (session.attributes.get('shout')) {
            return {
              body: message.body.toString().toUpperCase(),
              headers: [...message.headers, ['x-shout', '1']],
            };
          }
        },
      ],
    });
    const [a, b, c] = [await connect(), await connect(), await connect()];
    for (const x of [a, b, c]) await subscribe(x, '/topic/o');
    const [sa, sb] = [...broker.sessions()];
    sa!.attributes.set('muted', true);
    sb!.attributes.set('shout', true);
    broker.publish('/topic/o', 'hello', [['x-k', 'v']]);
    expect(await a.sync()).toEqual([]);
    const [loud] = await b.sync();
    expect(loud!.body.toString()).toBe('HELLO');
    expect(loud!.headers).toMatchObject({ 'x-k': 'v', 'x-shout': '1' });
    const [plain] = await c.sync();
    expect(plain!.body.toString()).toBe('hello');
    expect(plain!.headers['x-shout']).toBeUndefined();
    expect(broker.metrics.outboundDrops).toBe(1);
  });
});

describe('lifecycle events and control from outside', () => {
  it('emits connected, subscribed, unsubscribed and disconnected with reasons', async () => {
    const events: string[] = [];
    await start({ authenticate: () => ({ name: 'carol' }) });
    broker.on('connected', (s) => events.push(`connected ${s.principal?.name}`));
    broker.on('subscribed', (s) => events.push(`subscribed ${s.destination}`));
    broker.on('unsubscribed', (s, reason) => events.push(`unsubscribed ${s.id} ${reason}`));
    broker.on('disconnected', (_s, reason) => events.push(`disconnected ${reason}`));
    const a = await connect();
    await subscribe(a, '/topic/a', 'one');
    await subscribe(a, '/topic/b', 'two');
    a.send(frame('UNSUBSCRIBE', { id: 'one' }));
    await a.sync();
    const gone = once(broker, 'disconnected');
    a.close();
    await gone;
    expect(events).toEqual([
      'connected carol',
      'subscribed /topic/a',
      'subscribed /topic/b',
      'unsubscribed one client_unsubscribe',
      'unsubscribed two disconnected',
      'disconnected connection_lost',
    ]);
  });

  it('ends one subscription from outside, and a session with an ERROR', async () => {
    await start({ authenticate: loginAuth });
    const reasons: string[] = [];
    broker.on('unsubscribed', (_s, reason) => reasons.push(reason));
    const a = await connect({ login: 'kim' });
    await subscribe(a, '/topic/channels/1', 'c1');
    await subscribe(a, '/topic/channels/2', 'c2');
    const [session] = broker.sessionsOf('kim');
    expect(broker.unsubscribe(session!.id, 'c1', 'kicked')).toBe(true);
    expect(broker.unsubscribe(session!.id, 'c1', 'kicked')).toBe(false);
    broker.publish('/topic/channels/1', 'x');
    broker.publish('/topic/channels/2', 'y');
    expect((await a.sync()).map((m) => m.body.toString())).toEqual(['y']);
    expect(
      broker.unsubscribeWhere((s) => s.destination === '/topic/channels/2', 'channel deleted'),
    ).toBe(1);
    expect(reasons).toEqual(['kicked', 'channel deleted']);
    const gone = once(broker, 'disconnected');
    expect(broker.closeSession(session!.id, 'Your token expired.', 'token_expired')).toBe(true);
    const error = await a.next();
    expect(error.headers.message).toBe('Your token expired.');
    expect(error.body.toString()).toMatch(/^token_expired/);
    await a.closed;
    expect((await gone)[1]).toBe('token_expired');
    expect(broker.closeSession('no-such-session', 'x')).toBe(false);
  });

  it('counts sessions, frames and bytes, and emits a metrics event', async () => {
    await start({ metricsIntervalMs: 20 });
    const a = await connect();
    await subscribe(a, '/topic/m');
    broker.publish('/topic/m', 'x');
    await a.sync();
    const [snapshot] = await once(broker, 'metrics');
    expect(snapshot).toMatchObject({ sessions: 1, sessionsTotal: 1 });
    expect(snapshot.framesIn).toBe(3); // CONNECT, SUBSCRIBE, the sync UNSUBSCRIBE
    expect(snapshot.framesOut).toBe(4); // CONNECTED, RECEIPT, MESSAGE, RECEIPT
    expect(snapshot.bytesIn).toBeGreaterThan(0);
    expect(snapshot.bytesOut).toBe(a.messages.reduce((n, m) => n + m.data.length, 0));
  });
});
