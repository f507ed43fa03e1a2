import { Writable } from 'node:stream';
import { createLogger } from '@echopulse/service-kit';
import WebSocket from 'ws';
import { person, TestClient, TestService, until, type Person } from './support/harness';

// Issue #10 on chat-service: sockets that never CONNECT are capped per address (item 11), JSON
// nested without bound is refused on REST and STOMP alike (item 4), and every HTTP answer
// carries the security headers (item 6).

/** Every line the service logged. */
class Lines extends Writable {
  readonly lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      this.lines.push(JSON.parse(line) as { level: number; msg: string });
    }
    done();
  }
}

/** A raw WebSocket that sends nothing, with how it ended. */
interface RawSocket {
  ws: WebSocket;
  frames: string[];
  closed: Promise<{ code: number; reason: string }>;
}

async function openRaw(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  const ws = new WebSocket(url, ['v12.stomp'], { headers });
  const frames: string[] = [];
  ws.on('message', (data: Buffer) => frames.push(data.toString()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

const deepBody = (depth: number) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('chat-service hardening (issue #10)', () => {
  const maxPending = 3;
  const t = new TestService({ WS_MAX_PENDING_PER_IP: String(maxPending) });
  const log = new Lines();
  let alice: Person;
  const sockets: WebSocket[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    alice = await person('alice');
    await t.start(createLogger('chat-hardening-test', 'info', log));
  }, 120_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await Promise.all(clients.map((c) => c.close()));
    await t.stop();
  }, 60_000);

  const raw = async () => {
    const socket = await openRaw(t.wsUrl);
    sockets.push(socket.ws);
    return socket;
  };

  describe('sockets that never CONNECT', () => {
    it('are capped per address: the one past WS_MAX_PENDING_PER_IP is refused with 1013 and a reason, logged once', async () => {
      const pending = [];
      for (let i = 0; i < maxPending; i++) pending.push(await raw());
      const refused = [await raw(), await raw(), await raw()];
      for (const socket of refused) {
        expect(await socket.closed).toEqual({
          code: 1013,
          reason: 'Too many connections from this address are waiting to CONNECT; try again later.',
        });
        expect(socket.frames.join('')).toMatch(/^ERROR\n[^]*\n\ntoo_many_pending: /);
      }
      expect(pending.every((s) => s.ws.readyState === WebSocket.OPEN)).toBe(true);
      const limited = log.lines.filter((l) => l.msg.includes('waiting to CONNECT'));
      expect(limited).toEqual([
        expect.objectContaining({ level: 40, remoteAddress: '127.0.0.1', limit: maxPending }),
      ]);

      // a socket that CONNECTs stops counting: another may open, and then no more
      const first = pending[0]!.ws;
      const connected = new Promise<string>((resolve) =>
        first.once('message', (data: Buffer) => resolve(data.toString())),
      );
      first.send(
        `CONNECT\naccept-version:1.2\nhost:localhost\nAuthorization:Bearer ${alice.token}\n\n\0`,
      );
      expect(await connected).toMatch(/^CONNECTED\n/);
      const another = await raw();
      const over = await raw();
      expect((await over.closed).code).toBe(1013);
      expect(another.ws.readyState).toBe(WebSocket.OPEN);
      for (const s of [...pending.slice(1), another]) s.ws.terminate();
      await until(() => t.service.gateway.broker.sessionCount === 1, 5000, 'pending sockets gone');
    });

    it("behind the web app's proxy are counted per browser (X-Forwarded-For from a trusted loopback proxy)", async () => {
      // npm start's web server on 8080 proxies /ws from 127.0.0.1 and says who the browser is;
      // without TRUSTED_PROXIES every browser would share the proxy's one allowance
      const via = (browser: string) => openRaw(t.wsUrl, { 'X-Forwarded-For': browser });
      const before = t.service.gateway.broker.sessionCount;
      const opened: RawSocket[] = [];
      try {
        for (let i = 0; i < maxPending; i++) opened.push(await via('203.0.113.1'));
        const other = await via('203.0.113.2');
        opened.push(other);
        const over = await via('203.0.113.1');
        opened.push(over);
        expect((await over.closed).code).toBe(1013);
        expect(other.ws.readyState).toBe(WebSocket.OPEN);
        const limited = log.lines.filter((l) => l.msg.includes('waiting to CONNECT'));
        expect(limited.at(-1)).toEqual(
          expect.objectContaining({ remoteAddress: '203.0.113.1', limit: maxPending }),
        );
      } finally {
        for (const s of opened) s.ws.terminate();
      }
      await until(
        () => t.service.gateway.broker.sessionCount === before,
        5000,
        'proxied sockets gone',
      );
    });

    it('do not keep signed-in users out: authenticated sessions do not count', async () => {
      for (let i = 0; i < maxPending + 2; i++) {
        clients.push(await new TestClient(t.wsUrl, alice.token).connect());
      }
      expect(clients.every((c) => !c.stompError)).toBe(true);
    });
  });

  describe('JSON nested deeper than 64 levels', () => {
    it.each([
      ['without a token', false],
      ['with a token', true],
    ])('gets 400 json_too_deep on REST %s', async (_what, signedIn) => {
      const res = await fetch(`${t.url}/api/users/@me/read-states`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signedIn ? { authorization: `Bearer ${alice.token}` } : {}),
        },
        body: deepBody(120_000),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 400, code: 'json_too_deep' });
      expect(log.lines.filter((l) => l.level >= 50)).toEqual([]);
    });

    it('is refused on STOMP: invalid_message within a frame, ERROR frame_too_large past it', async () => {
      const c = await new TestClient(t.wsUrl, alice.token).connect();
      clients.push(c);
      const receipt = c.send(
        '/app/channels/123456789/messages',
        `{"content":${'['.repeat(60_000)}${']'.repeat(60_000)},"nonce":"n"}`,
      );
      const rejection = await until(() =>
        c.errors.find((m) => m.headers['receipt-id'] === receipt),
      );
      expect(rejection.headers.code).toBe('invalid_message');
      expect(rejection.headers.message).toMatch(/deeper than 64 levels/);
      expect(c.closed).toBe(false);
      // 120,000 levels do not fit in a frame: the broker's frame limit ends the session
      c.send('/app/channels/123456789/messages', deepBody(120_000));
      const error = await until(() => c.stompError);
      expect(error.body).toMatch(/^frame_too_large/);
      expect(log.lines.filter((l) => l.level >= 50)).toEqual([]);
    });
  });

  describe('security headers', () => {
    it.each([
      ['an API answer', '/api/users/@me/read-states', true],
      ['a 401 problem', '/api/users/@me/read-states', false],
      ['Swagger UI', '/docs/', false],
      ['the OpenAPI document', '/openapi.json', false],
    ])('are on %s', async (_what, path, signedIn) => {
      const res = await fetch(t.url + path, {
        headers: signedIn ? { authorization: `Bearer ${alice.token}` } : {},
      });
      expect(res.status).toBe(signedIn || path !== '/api/users/@me/read-states' ? 200 : 401);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    });
  });
});
