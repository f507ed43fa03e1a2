// User destinations (as Spring's UserDestinationMessageHandler) and application destinations.
import { FrameRejection, StompError } from '../src';
import { loginAuth, useBroker } from './harness';
import { frame, RawClient } from './raw-client';

const t = useBroker();

async function subscribe(c: RawClient, destination: string, id = 's'): Promise<void> {
  c.send(frame('SUBSCRIBE', { id, destination, receipt: `sub-${id}` }));
  expect((await c.next()).headers['receipt-id']).toBe(`sub-${id}`);
}

describe('user destinations', () => {
  beforeEach(() => t.start({ authenticate: loginAuth }));

  it('reach every session of the principal on /user/queue/…, and only theirs', async () => {
    const a1 = await t.connect({ login: 'alice' });
    const a2 = await t.connect({ login: 'alice' });
    const bob = await t.connect({ login: 'bob' });
    for (const c of [a1, a2, bob]) await subscribe(c, '/user/queue/notices');
    t.broker.sendToUser('alice', '/queue/notices', 'hi alice', [['x-kind', 'greeting']]);
    for (const c of [a1, a2]) {
      const m = await c.next();
      expect(m.body.toString()).toBe('hi alice');
      expect(m.headers).toMatchObject({ destination: '/user/queue/notices', 'x-kind': 'greeting' });
    }
    expect(await bob.sync()).toEqual([]);
  });

  it('take a SEND to /user/{name}/queue/… from a client', async () => {
    const alice = await t.connect({ login: 'alice' });
    const bob = await t.connect({ login: 'bob' });
    await subscribe(alice, '/user/queue/dm');
    bob.send(frame('SEND', { destination: '/user/alice/queue/dm' }, 'from bob'));
    expect((await alice.next()).body.toString()).toBe('from bob');
  });

  it('reach one session only with sendToSession', async () => {
    const a1 = await t.connect({ login: 'alice' });
    const a2 = await t.connect({ login: 'alice' });
    for (const c of [a1, a2]) await subscribe(c, '/user/queue/only');
    const [first] = t.broker.sessionsOf('alice');
    expect(t.broker.sendToSession(first!.id, '/queue/only', 'just you')).toBe(1);
    const got = [...(await a1.sync()), ...(await a2.sync())];
    expect(got.map((m) => m.body.toString())).toEqual(['just you']);
  });

  it('reach one subscription with sendToSubscription (e.g. a replay before live traffic)', async () => {
    const a = await t.connect({ login: 'alice' });
    await subscribe(a, '/topic/history', 'h');
    const [session] = t.broker.sessionsOf('alice');
    expect(t.broker.sendToSubscription(session!.id, 'h', 'old message', [['x-seq', '1']])).toBe(
      true,
    );
    expect(t.broker.sendToSubscription(session!.id, 'nope', 'x')).toBe(false);
    const m = await a.next();
    expect(m.headers).toMatchObject({
      subscription: 'h',
      destination: '/topic/history',
      'x-seq': '1',
    });
  });
});

describe('application destinations', () => {
  it('route SEND /app/… to handlers with path params; the RECEIPT waits for the handler', async () => {
    const order: string[] = [];
    await t.start({ authenticate: () => ({ name: 'alice' }) });
    t.broker.handle('/channels/{channelId}/messages', async (m) => {
      expect(m.principal).toEqual({ name: 'alice' });
      expect(m.header('x-nonce')).toBe('n1');
      await new Promise((r) => setTimeout(r, 20)); // "stored durably"
      order.push('stored');
      m.broker.publish(`/topic/channels/${m.params.channelId}`, `echo:${m.text()}`);
      m.reply('/queue/acks', 'ok');
    });
    const a = await t.connect();
    await subscribe(a, '/topic/channels/42', 't');
    await subscribe(a, '/user/queue/acks', 'q');
    a.send(
      frame(
        'SEND',
        { destination: '/app/channels/42/messages', receipt: 'r', 'x-nonce': 'n1' },
        'hello',
      ),
    );
    const frames = [await a.next(), await a.next(), await a.next()];
    expect(frames.map((f) => f.command)).toEqual(['MESSAGE', 'MESSAGE', 'RECEIPT']);
    expect(frames[0]!.body.toString()).toBe('echo:hello');
    expect(frames[1]!.body.toString()).toBe('ok');
    expect(order).toEqual(['stored']);
  });

  it('put headers the handler added on the RECEIPT', async () => {
    await t.start();
    t.broker.handle('/store', async (m) => {
      await new Promise((r) => setTimeout(r, 5));
      m.addReceiptHeader('message-id', '99');
      m.addReceiptHeader('seq', '7');
    });
    const a = await t.connect();
    a.send(frame('SEND', { destination: '/app/store', receipt: 'r' }));
    const receipt = await a.next();
    expect(receipt.command).toBe('RECEIPT');
    expect(receipt.headers).toEqual({ 'receipt-id': 'r', 'message-id': '99', seq: '7' });
  });

  it('use a configurable prefix and decode params', async () => {
    await t.start({ appPrefix: '/api' });
    const seen: Record<string, string>[] = [];
    t.broker.handle('/rooms/{room}/{action}', (m) => void seen.push(m.params));
    const a = await t.connect();
    a.send(frame('SEND', { destination: '/api/rooms/a%20b/join', receipt: 'r' }));
    expect((await a.next()).command).toBe('RECEIPT');
    expect(seen).toEqual([{ room: 'a b', action: 'join' }]);
  });

  it('end the session on a StompError, keep it on a FrameRejection', async () => {
    await t.start({ authenticate: loginAuth });
    t.broker.handle('/fatal', () => {
      throw new StompError('forbidden', 'You may not.');
    });
    t.broker.handle('/refuse', async () => {
      throw new FrameRejection('rate_limited', 'Slow down.');
    });
    const a = await t.connect({ login: 'al' });
    await subscribe(a, '/user/queue/errors');
    a.send(frame('SEND', { destination: '/app/refuse', receipt: 'r1' }));
    const [notice] = await a.sync();
    expect(notice!.headers).toMatchObject({ code: 'rate_limited', 'receipt-id': 'r1' });
    a.send(frame('SEND', { destination: '/app/fatal', receipt: 'r2' }));
    const error = await a.next();
    expect(error.headers).toMatchObject({ message: 'You may not.', 'receipt-id': 'r2' });
    await a.closed;
  });
});
