// maxPendingPerAddress: connections from one address that have not CONNECTed yet are capped;
// connected sessions do not count (README "Limits and slow consumers").
import { RawClient } from './raw-client';
import { loginAuth, useBroker } from './harness';

const t = useBroker();

/** The close code and reason the client saw. */
const closeOf = (c: RawClient) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    c.ws!.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );

describe('maxPendingPerAddress', () => {
  it('refuses the connection past the cap with 1013 and a reason, and reports the burst once', async () => {
    await t.start({ authenticate: loginAuth, limits: { maxPendingPerAddress: 3 } });
    const limited: [string, number][] = [];
    t.broker.on('pendingLimit', (address, limit) => limited.push([address, limit]));
    const pending = [await t.open(), await t.open(), await t.open()];
    const refused: [RawClient, ReturnType<typeof closeOf>][] = [];
    for (let i = 0; i < 2; i++) {
      const c = await t.open();
      refused.push([c, closeOf(c)]);
    }
    for (const [c, closed] of refused) {
      const error = await c.next();
      expect(error.command).toBe('ERROR');
      expect(error.body.toString()).toMatch(/^too_many_pending: /);
      expect(await closed).toEqual({
        code: 1013,
        reason: 'Too many connections from this address are waiting to CONNECT; try again later.',
      });
    }
    // one report for the burst, not one per refused socket
    expect(limited).toEqual([['127.0.0.1', 3]]);
    expect(t.broker.metrics.pendingRefusals).toBe(2);
    expect(pending.every((c) => c.isOpen)).toBe(true);
  });

  it('does not count sessions that have CONNECTed', async () => {
    await t.start({ authenticate: loginAuth, limits: { maxPendingPerAddress: 2 } });
    const first = await t.open();
    await t.open();
    // at the cap: one more is refused
    const over = await t.open();
    expect((await over.next()).body.toString()).toMatch(/^too_many_pending/);
    // once one CONNECTs, another may open, and CONNECT too
    await first.connect({ login: 'alice' });
    const next = await t.open();
    await next.connect({ login: 'bob' });
    // a connected session never counts again; only pending ones do
    await t.open();
    const again = await t.open();
    expect((await again.next()).body.toString()).toMatch(/^too_many_pending/);
  });

  it('frees a place when a pending connection closes or times out', async () => {
    await t.start({ limits: { maxPendingPerAddress: 1, connectTimeoutMs: 200 } });
    const first = await t.open();
    const refused = await t.open();
    expect((await refused.next()).body.toString()).toMatch(/^too_many_pending/);
    expect((await first.next(2000)).body.toString()).toMatch(/^not_connected/);
    await first.closed;
    const later = await t.open();
    await later.connect();
  });

  it('counts the address that clientAddress derives, e.g. the client behind a trusted proxy', async () => {
    // Behind a reverse proxy every socket comes from the proxy's address; the application says
    // who the client is (here from the query, in chat-service from X-Forwarded-For).
    await t.start({
      limits: { maxPendingPerAddress: 1 },
      clientAddress: (request) => new URL(request.url!, 'http://x').searchParams.get('from') ?? '?',
    });
    const limited: string[] = [];
    t.broker.on('pendingLimit', (address) => limited.push(address));
    const opened: RawClient[] = [];
    const open = async (from: string) => {
      const c = await RawClient.open(`${t.url}?from=${from}`);
      opened.push(c);
      return c;
    };
    try {
      await open('10.0.0.1');
      const second = await open('10.0.0.2');
      const over = await open('10.0.0.1');
      expect((await over.next()).body.toString()).toMatch(/^too_many_pending/);
      expect(limited).toEqual(['10.0.0.1']);
      expect(second.isOpen).toBe(true);
    } finally {
      for (const c of opened) c.close();
    }
  });
});
