import { Broker, StompError, type BrokerOptions } from '../src';
import { frame, RawClient } from './raw-client';

// Conformance with STOMP 1.2 (stomp.github.io/stomp-specification-1.2.html), section by section,
// over a real WebSocket with raw frames.

let broker: Broker;
let url: string;
const clients: RawClient[] = [];

async function start(options: BrokerOptions = {}): Promise<void> {
  broker = new Broker({ heartbeat: [0, 0], ...options });
  ({ url } = await broker.listen(0));
}
const connect = async (headers: Record<string, string> = {}) => {
  const c = await RawClient.connect(url, headers);
  clients.push(c);
  return c;
};
const open = async (protocols?: string[]) => {
  const c = await RawClient.open(url, protocols);
  clients.push(c);
  return c;
};

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await broker.close();
});

describe('Connecting (CONNECT, STOMP, protocol negotiation)', () => {
  beforeEach(() => start());

  it('answers CONNECTED with the highest common version and a session id', async () => {
    const c = await open();
    expect(c.ws.protocol).toBe('v12.stomp');
    c.send(frame('CONNECT', { 'accept-version': '1.0,1.1,1.2', host: 'h' }));
    const connected = await c.next();
    expect(connected.command).toBe('CONNECTED');
    expect(connected.headers.version).toBe('1.2');
    expect(connected.headers.session).toMatch(/.+/);
  });

  it('treats a CONNECT without accept-version as 1.0, and accepts the STOMP command', async () => {
    const c = await open([]);
    c.send(frame('CONNECT'));
    expect((await c.next()).headers.version).toBe('1.0');
    const d = await open(['v11.stomp']);
    expect(d.ws.protocol).toBe('v11.stomp');
    d.send(frame('STOMP', { 'accept-version': '1.1', host: 'h' }));
    expect((await d.next()).headers.version).toBe('1.1');
  });

  it('refuses an unsupported version with ERROR carrying a version header, then closes', async () => {
    const c = await open();
    c.send(frame('CONNECT', { 'accept-version': '2.0', host: 'h' }));
    const error = await c.next();
    expect(error.command).toBe('ERROR');
    expect(error.headers.version).toBe('1.2,1.1,1.0');
    expect(error.headers.message).toMatch(/versions/);
    expect(await c.closed).toBe(1002);
  });

  it('refuses any frame before CONNECT', async () => {
    const c = await open();
    c.send(frame('SEND', { destination: '/topic/a' }, 'x'));
    expect((await c.next()).headers.message).toMatch(/Expected CONNECT/);
    await c.closed;
  });

  it('refuses a second CONNECT', async () => {
    const c = await connect();
    c.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h' }));
    expect((await c.next()).headers.message).toMatch(/already connected/);
  });
});

describe('Heart-beating', () => {
  it('negotiates the periods and sends EOLs when quiet', async () => {
    await start({ heartbeat: [100, 0] });
    const c = await connect({ 'heart-beat': '0,100' });
    const deadline = Date.now() + 2000;
    while (c.heartbeats < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(c.heartbeats).toBeGreaterThanOrEqual(2);
  });

  it('closes a connection whose peer went silent past the grace period', async () => {
    await start({ heartbeat: [0, 100], heartbeatGrace: 2 });
    const c = await RawClient.open(url);
    clients.push(c);
    c.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h', 'heart-beat': '100,0' }));
    expect((await c.next()).headers['heart-beat']).toBe('0,100');
    const started = Date.now();
    await c.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('keeps a connection that sends EOL heart-beats', async () => {
    await start({ heartbeat: [0, 100], heartbeatGrace: 2 });
    const c = await connect({ 'heart-beat': '100,0' });
    const beating = setInterval(() => c.send('\n'), 50);
    await new Promise((r) => setTimeout(r, 500));
    clearInterval(beating);
    expect(c.ws.readyState).toBe(c.ws.OPEN);
  });

  it('refuses a malformed heart-beat header', async () => {
    await start();
    const c = await open();
    c.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h', 'heart-beat': 'soon' }));
    expect((await c.next()).command).toBe('ERROR');
  });
});

describe('SEND, SUBSCRIBE, MESSAGE on topics', () => {
  beforeEach(() => start());

  it('delivers to every subscriber with subscription, message-id, destination, user headers and content-type', async () => {
    const a = await connect();
    const b = await connect();
    a.send(frame('SUBSCRIBE', { id: 's1', destination: '/topic/news', receipt: 'r1' }));
    b.send(frame('SUBSCRIBE', { id: 's2', destination: '/topic/news', receipt: 'r2' }));
    expect((await a.next()).headers['receipt-id']).toBe('r1');
    expect((await b.next()).headers['receipt-id']).toBe('r2');
    const sender = await connect();
    sender.send(
      frame(
        'SEND',
        { destination: '/topic/news', 'content-type': 'application/json', 'x-trace': 'abc' },
        '{"n":1}',
      ),
    );
    for (const [client, sub] of [
      [a, 's1'],
      [b, 's2'],
    ] as const) {
      const message = await client.next();
      expect(message.command).toBe('MESSAGE');
      expect(message.headers).toMatchObject({
        subscription: sub,
        destination: '/topic/news',
        'content-type': 'application/json',
        'x-trace': 'abc',
      });
      expect(message.headers['message-id']).toMatch(/.+/);
      expect(message.body.toString()).toBe('{"n":1}');
      expect(message.binary).toBe(false);
    }
  });

  it('stops delivering after UNSUBSCRIBE', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/t' }));
    a.send(frame('UNSUBSCRIBE', { id: 's', receipt: 'u' }));
    expect((await a.next()).headers['receipt-id']).toBe('u');
    a.send(frame('SEND', { destination: '/topic/t' }, 'x'));
    expect(await a.quiet()).toBe(true);
  });

  it('answers a frame with receipt with RECEIPT, and an error with receipt-id, then closes', async () => {
    const a = await connect();
    a.send(frame('SEND', { destination: '/topic/t', receipt: 'ok-1' }, 'x'));
    expect(await a.next()).toMatchObject({ command: 'RECEIPT', headers: { 'receipt-id': 'ok-1' } });
    a.send(frame('SEND', { destination: '/nowhere', receipt: 'bad-1' }, 'x'));
    const error = await a.next();
    expect(error).toMatchObject({ command: 'ERROR', headers: { 'receipt-id': 'bad-1' } });
    expect(error.headers.message).toMatch(/Destinations start with/);
    expect(await a.closed).toBe(1002);
  });

  it('refuses SEND without destination and SUBSCRIBE without id, and a duplicate subscription id', async () => {
    const a = await connect();
    a.send(frame('SEND', {}, 'x'));
    expect((await a.next()).headers.message).toMatch(/destination/);
    const b = await connect();
    b.send(frame('SUBSCRIBE', { destination: '/topic/x' }));
    expect((await b.next()).headers.message).toMatch(/id header/);
    const c = await connect();
    c.send(frame('SUBSCRIBE', { id: '1', destination: '/topic/x' }));
    c.send(frame('SUBSCRIBE', { id: '1', destination: '/topic/y' }));
    expect((await c.next()).headers.message).toMatch(/already in use/);
  });
});

describe('Frames and header encoding', () => {
  beforeEach(() => start());

  it('escapes and unescapes header values in 1.2, and never trims them', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/e' }));
    a.send(frame('SEND', { destination: '/topic/e', 'x-odd': ' a\\cb\\nc\\\\d\\r ' }, 'x'));
    const message = await a.next();
    expect(message.headers['x-odd']).toBe(' a\\cb\\nc\\\\d\\r ');
  });

  it('refuses an undefined escape sequence as fatal', async () => {
    const a = await connect();
    a.send(frame('SEND', { destination: '/topic/e', 'x-bad': 'a\\tb' }, 'x'));
    expect((await a.next()).headers.message).toMatch(/escape/);
    await a.closed;
  });

  it('does not unescape CONNECT headers', async () => {
    let seen = '';
    await broker.close();
    await start({
      authenticate: ({ frame: f }) => (
        (seen = f.headers.find(([n]) => n === 'login')![1]),
        { name: 'u' }
      ),
    });
    await connect({ login: 'a\\cb' });
    expect(seen).toBe('a\\cb');
  });

  it('has the first of repeated headers win', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/r' }));
    a.send('SEND\ndestination:/topic/r\nx-k:first\nx-k:second\n\nbody\0');
    expect((await a.next()).headers['x-k']).toBe('first');
  });

  it('accepts CR-LF line ends, EOLs between frames, several frames per message and frames split across messages', async () => {
    const a = await connect();
    a.send('\r\n\nSUBSCRIBE\r\nid:s\r\ndestination:/topic/f\r\nreceipt:r\r\n\r\n\0\n\n');
    expect((await a.next()).headers['receipt-id']).toBe('r');
    a.send(
      frame('SEND', { destination: '/topic/f' }, 'one') +
        '\n' +
        frame('SEND', { destination: '/topic/f' }, 'two'),
    );
    const whole = frame('SEND', { destination: '/topic/f' }, 'three');
    a.send(whole.slice(0, 7));
    a.send(whole.slice(7, 20));
    a.send(whole.slice(20));
    const bodies = [await a.next(), await a.next(), await a.next()].map((m) => m.body.toString());
    expect(bodies).toEqual(['one', 'two', 'three']);
  });

  it('carries binary bodies with NUL by content-length, as binary WebSocket messages', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/bin' }));
    const body = Buffer.from([0, 1, 2, 0xff, 0, 0xfe, 0]);
    a.send(
      Buffer.concat([
        Buffer.from(
          `SEND\ndestination:/topic/bin\ncontent-type:application/octet-stream\ncontent-length:${body.length}\n\n`,
        ),
        body,
        Buffer.from([0]),
      ]),
    );
    const message = await a.next();
    expect(message.binary).toBe(true);
    expect(message.headers['content-length']).toBe(String(body.length));
    expect(Buffer.compare(message.body, body)).toBe(0);
  });

  it('refuses a body longer than its content-length', async () => {
    const a = await connect();
    a.send('SEND\ndestination:/topic/x\ncontent-length:2\n\nabc\0');
    expect((await a.next()).headers.message).toMatch(/content-length/);
  });
});

describe('Queues, acknowledgement and redelivery', () => {
  beforeEach(() => start());

  it('holds messages until a subscriber exists, then shares them among competing consumers', async () => {
    const sender = await connect();
    for (const n of [1, 2, 3, 4])
      sender.send(frame('SEND', { destination: '/queue/jobs' }, `m${n}`));
    sender.send(frame('SEND', { destination: '/queue/jobs', receipt: 'sent' }, 'm5'));
    await sender.next();
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 'a', destination: '/queue/jobs' }));
    const held = await Promise.all([1, 2, 3, 4, 5].map(() => a.next()));
    expect(held.map((m) => m.body.toString())).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    const b = await connect();
    b.send(frame('SUBSCRIBE', { id: 'b', destination: '/queue/jobs', receipt: 'rb' }));
    await b.next();
    for (const n of [6, 7, 8, 9])
      sender.send(frame('SEND', { destination: '/queue/jobs' }, `m${n}`));
    const toA = [await a.next(), await a.next()].map((m) => m.body.toString());
    const toB = [await b.next(), await b.next()].map((m) => m.body.toString());
    expect([...toA, ...toB].sort()).toEqual(['m6', 'm7', 'm8', 'm9']);
  });

  it('redelivers on NACK with redelivered: true (client-individual)', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/n', ack: 'client-individual' }));
    const sender = await connect();
    sender.send(frame('SEND', { destination: '/queue/n' }, 'job'));
    const first = await a.next();
    expect(first.headers.ack).toMatch(/.+/);
    expect(first.headers.redelivered).toBeUndefined();
    a.send(frame('NACK', { id: first.headers.ack! }));
    const again = await a.next();
    expect(again.body.toString()).toBe('job');
    expect(again.headers.redelivered).toBe('true');
    a.send(frame('ACK', { id: again.headers.ack!, receipt: 'acked' }));
    expect((await a.next()).headers['receipt-id']).toBe('acked');
  });

  it('redelivers unacknowledged messages to another consumer when a session disconnects', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/d', ack: 'client', receipt: 'r' }));
    await a.next();
    const sender = await connect();
    sender.send(frame('SEND', { destination: '/queue/d' }, 'one'));
    sender.send(frame('SEND', { destination: '/queue/d' }, 'two'));
    await a.next();
    await a.next();
    a.close();
    await a.closed;
    const b = await connect();
    b.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/d' }));
    const redelivered = [await b.next(), await b.next()];
    expect(redelivered.map((m) => [m.body.toString(), m.headers.redelivered])).toEqual([
      ['one', 'true'],
      ['two', 'true'],
    ]);
  });

  it('acknowledges cumulatively in client mode', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/c', ack: 'client' }));
    const sender = await connect();
    for (const n of [1, 2, 3]) sender.send(frame('SEND', { destination: '/queue/c' }, `m${n}`));
    const got = [await a.next(), await a.next(), await a.next()];
    a.send(frame('ACK', { id: got[1]!.headers.ack!, receipt: 'r' })); // settles m1 and m2
    await a.next();
    a.close();
    await a.closed;
    const b = await connect();
    b.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/c' }));
    const left = await b.next();
    expect(left.body.toString()).toBe('m3');
    expect(await b.quiet()).toBe(true);
  });

  it('acknowledges by message-id in 1.1', async () => {
    const c = await open(['v11.stomp']);
    clients.push(c);
    c.send(frame('CONNECT', { 'accept-version': '1.1', host: 'h' }));
    await c.next();
    c.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/v11', ack: 'client-individual' }));
    const sender = await connect();
    sender.send(frame('SEND', { destination: '/queue/v11' }, 'x'));
    const message = await c.next();
    expect(message.headers.ack).toBeUndefined();
    c.send(frame('NACK', { 'message-id': message.headers['message-id']!, subscription: 's' }));
    expect((await c.next()).headers.redelivered).toBe('true');
  });
});

describe('Transactions (BEGIN, COMMIT, ABORT)', () => {
  beforeEach(() => start());

  it('holds SENDs until COMMIT and drops them on ABORT', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/tx' }));
    a.send(frame('BEGIN', { transaction: 't1' }));
    a.send(frame('SEND', { destination: '/topic/tx', transaction: 't1' }, 'kept'));
    a.send(frame('BEGIN', { transaction: 't2' }));
    a.send(frame('SEND', { destination: '/topic/tx', transaction: 't2' }, 'dropped'));
    expect(await a.quiet()).toBe(true);
    a.send(frame('ABORT', { transaction: 't2' }));
    a.send(frame('COMMIT', { transaction: 't1', receipt: 'c' }));
    const message = await a.next();
    expect(message.body.toString()).toBe('kept');
    expect((await a.next()).headers['receipt-id']).toBe('c');
    expect(await a.quiet()).toBe(true);
  });

  it('covers ACK and NACK', async () => {
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/queue/txa', ack: 'client-individual' }));
    const sender = await connect();
    sender.send(frame('SEND', { destination: '/queue/txa' }, 'x'));
    const message = await a.next();
    a.send(frame('BEGIN', { transaction: 't' }));
    a.send(frame('NACK', { id: message.headers.ack!, transaction: 't' }));
    expect(await a.quiet()).toBe(true);
    a.send(frame('COMMIT', { transaction: 't' }));
    expect((await a.next()).headers.redelivered).toBe('true');
  });

  it('refuses unknown and duplicate transactions', async () => {
    const a = await connect();
    a.send(frame('COMMIT', { transaction: 'nope' }));
    expect((await a.next()).headers.message).toMatch(/No open transaction/);
    const b = await connect();
    b.send(frame('BEGIN', { transaction: 't' }));
    b.send(frame('BEGIN', { transaction: 't' }));
    expect((await b.next()).headers.message).toMatch(/already open/);
  });

  it('aborts open transactions on disconnect', async () => {
    const watcher = await connect();
    watcher.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/abort', receipt: 'r' }));
    await watcher.next();
    const a = await connect();
    a.send(frame('BEGIN', { transaction: 't' }));
    a.send(
      frame('SEND', { destination: '/topic/abort', transaction: 't', receipt: 'held' }, 'never'),
    );
    await a.next();
    a.close();
    await a.closed;
    expect(await watcher.quiet()).toBe(true);
  });
});

describe('DISCONNECT', () => {
  beforeEach(() => start());

  it('sends the RECEIPT before closing', async () => {
    const a = await connect();
    a.send(frame('DISCONNECT', { receipt: 'bye' }));
    expect(await a.next()).toMatchObject({ command: 'RECEIPT', headers: { 'receipt-id': 'bye' } });
    expect(await a.closed).toBe(1000);
  });
});

describe('Hooks: authentication, interceptors, application destinations, user destinations', () => {
  it('sets the principal on CONNECT, or refuses with ERROR', async () => {
    await start({
      authenticate: ({ frame: f }) => {
        const passcode = f.headers.find(([n]) => n === 'passcode')?.[1];
        if (passcode !== 'secret') throw new StompError('unauthenticated', 'Bad credentials.');
        return { name: f.headers.find(([n]) => n === 'login')![1] };
      },
    });
    const ok = await connect({ login: 'alice', passcode: 'secret' });
    expect(broker.sessionsOf('alice')).toHaveLength(1);
    void ok;
    const bad = await open();
    bad.send(
      frame('CONNECT', { 'accept-version': '1.2', host: 'h', login: 'alice', passcode: 'wrong' }),
    );
    expect((await bad.next()).headers.message).toBe('Bad credentials.');
    await bad.closed;
  });

  it('reaches every session of a user on /user/queue destinations, and only theirs', async () => {
    await start({
      authenticate: ({ frame: f }) => ({ name: f.headers.find(([n]) => n === 'login')![1] }),
    });
    const a1 = await connect({ login: 'alice' });
    const a2 = await connect({ login: 'alice' });
    const bob = await connect({ login: 'bob' });
    for (const c of [a1, a2, bob]) {
      c.send(frame('SUBSCRIBE', { id: 'n', destination: '/user/queue/notices', receipt: 'r' }));
      await c.next();
    }
    broker.sendToUser('alice', '/queue/notices', 'hi alice');
    expect((await a1.next()).body.toString()).toBe('hi alice');
    expect((await a2.next()).body.toString()).toBe('hi alice');
    bob.send(frame('SEND', { destination: '/user/alice/queue/notices' }, 'from bob'));
    expect((await a1.next()).body.toString()).toBe('from bob');
    expect(await bob.quiet()).toBe(true);
  });

  it('routes /app destinations to handlers with path params; RECEIPT waits for the handler', async () => {
    const order: string[] = [];
    await start({ authenticate: () => ({ name: 'alice' }) });
    broker.handle(
      '/channels/{channelId}/messages',
      async ({ params, body, broker: b, session }) => {
        await new Promise((r) => setTimeout(r, 50));
        order.push('stored');
        b.publish(`/topic/channels/${params.channelId}`, `echo:${body.toString()}`);
        b.sendToSession(session, '/queue/acks', 'ok');
      },
    );
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 't', destination: '/topic/channels/42' }));
    a.send(frame('SUBSCRIBE', { id: 'q', destination: '/user/queue/acks' }));
    a.send(frame('SEND', { destination: '/app/channels/42/messages', receipt: 'r' }, 'hello'));
    const frames = [await a.next(), await a.next(), await a.next()];
    expect(frames.map((f) => f.command)).toEqual(['MESSAGE', 'MESSAGE', 'RECEIPT']);
    expect(frames[0]!.body.toString()).toBe('echo:hello');
    expect(order).toEqual(['stored']);
  });

  it('turns a StompError from a handler into that ERROR, and anything else into one that leaks nothing', async () => {
    const reported: unknown[] = [];
    await start({ onError: (e) => reported.push(e) });
    broker.handle('/refuse', () => {
      throw new StompError('forbidden', 'You may not.');
    });
    broker.handle('/crash', () => {
      throw new Error('db password is hunter2');
    });
    const a = await connect();
    a.send(frame('SEND', { destination: '/app/refuse' }, ''));
    expect((await a.next()).headers.message).toBe('You may not.');
    const b = await connect();
    b.send(frame('SEND', { destination: '/app/crash' }, ''));
    const error = await b.next();
    expect(error.headers.message).toBe('Internal server error.');
    expect(error.body.toString()).not.toContain('hunter2');
    expect(reported).toHaveLength(1);
  });

  it('runs async interceptors strictly in order, and lets one skip a frame without ending the session', async () => {
    const seen: string[] = [];
    await start({
      inbound: [
        async (f) => {
          const body = f.body.toString();
          await new Promise((r) => setTimeout(r, body === 'slow' ? 60 : 0));
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
    const bodies = [await a.next(), await a.next()].map((m) => m.body.toString());
    expect(bodies).toEqual(['slow', 'fast']);
    expect(seen).toEqual(['SUBSCRIBE', 'slow', 'skip', 'fast']);
    expect(a.ws.readyState).toBe(a.ws.OPEN);
  });

  it('lets an outbound interceptor drop a message for one session', async () => {
    await start({ outbound: [(session) => session.attributes.get('muted') !== true] });
    const a = await connect();
    const b = await connect();
    for (const c of [a, b]) {
      c.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/o', receipt: 'r' }));
      await c.next();
    }
    broker.sessionsOf()[0]!.attributes.set('muted', true);
    broker.publish('/topic/o', 'x');
    const delivered = (await Promise.all([a.quiet(), b.quiet()])).filter((quiet) => !quiet);
    expect(delivered).toHaveLength(1);
  });

  it('emits lifecycle events and lets the application end a subscription or a session', async () => {
    const events: string[] = [];
    await start({ authenticate: () => ({ name: 'carol' }) });
    broker.on('connected', () => events.push('connected'));
    broker.on('subscribed', (s) => events.push(`subscribed ${s.destination}`));
    broker.on('unsubscribed', (s, reason) => events.push(`unsubscribed ${s.id} (${reason})`));
    broker.on('disconnected', (_s, reason) => events.push(`disconnected (${reason})`));
    const a = await connect();
    a.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/kick', receipt: 'r' }));
    await a.next();
    const [session] = broker.sessionsOf('carol');
    expect(broker.endSubscription(session!.id, 's', 'access lost')).toBe(true);
    broker.publish('/topic/kick', 'x');
    expect(await a.quiet()).toBe(true);
    broker.closeSession(session!.id, 'Your token expired.', 'token_expired');
    expect((await a.next()).headers.message).toBe('Your token expired.');
    await a.closed;
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([
      'connected',
      'subscribed /topic/kick',
      'unsubscribed s (access lost)',
      'disconnected (connection closed)',
    ]);
  });
});

describe('Limits and backpressure', () => {
  it('enforces frame size, header count, subscriptions per session and sessions per principal', async () => {
    await start({
      limits: {
        maxFrameSize: 1024,
        maxHeaders: 4,
        maxSubscriptionsPerSession: 2,
        maxSessionsPerPrincipal: 1,
      },
      authenticate: ({ frame: f }) => ({
        name: f.headers.find(([n]) => n === 'login')?.[1] ?? 'anon',
      }),
    });
    const big = await connect({ login: 'a' });
    big.send(frame('SEND', { destination: '/topic/x' }, 'y'.repeat(2000)));
    expect((await big.next()).body.toString()).toMatch(/^frame_too_large/);
    const headers = await connect({ login: 'b' });
    headers.send(frame('SEND', { destination: '/topic/x', a: '1', b: '2', c: '3', d: '4' }, ''));
    expect((await headers.next()).body.toString()).toMatch(/^too_many_headers/);
    const subs = await connect({ login: 'c' });
    for (const id of ['1', '2', '3'])
      subs.send(frame('SUBSCRIBE', { id, destination: `/topic/${id}` }));
    expect((await subs.next()).body.toString()).toMatch(/^too_many_subscriptions/);
    await connect({ login: 'd' });
    const second = await open();
    second.send(frame('CONNECT', { 'accept-version': '1.2', host: 'h', login: 'd' }));
    expect((await second.next()).body.toString()).toMatch(/^too_many_sessions/);
  });

  it('drops topic messages for a slow consumer, then disconnects it, while others get everything', async () => {
    await start({ limits: { slowConsumerDropBytes: 64 * 1024, slowConsumerMaxDrops: 200 } });
    const slow = await connect();
    const fast = await connect();
    for (const c of [slow, fast]) {
      c.send(frame('SUBSCRIBE', { id: 's', destination: '/topic/flood', receipt: 'r' }));
      await c.next();
    }
    // Stop reading on the slow client's TCP socket: the broker's buffer for it grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = 'z'.repeat(16 * 1024);
    let sent = 0;
    const deadline = Date.now() + 10_000;
    while (broker.metrics.slowConsumerDisconnects === 0 && Date.now() < deadline) {
      broker.publish('/topic/flood', payload);
      sent++;
      if (sent % 50 === 0) await new Promise((r) => setImmediate(r));
      while (fast.frames.length) fast.frames.shift();
      if (sent % 50 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect(broker.metrics.drops).toBeGreaterThan(0);
    expect(broker.metrics.slowConsumerDisconnects).toBe(1);
    // The fast consumer is still connected and still served.
    broker.publish('/topic/flood', 'last');
    let last;
    do last = await fast.next();
    while (last.body.toString() !== 'last');
    expect(fast.ws.readyState).toBe(fast.ws.OPEN);
  });
});

describe('Graceful shutdown', () => {
  it('ends every session with an ERROR and resolves once they are gone', async () => {
    await start();
    const a = await connect();
    const closing = broker.close();
    expect((await a.next()).headers.message).toMatch(/shutting down/);
    expect(await a.closed).toBe(1001);
    await closing;
    broker = new Broker(); // afterEach closes this one
  });
});
