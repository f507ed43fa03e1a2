import { Permissions, serverEvent } from '@echopulse/guild-contracts';
import { createClient } from 'redis';
import {
  guildCreated,
  newId,
  outcome,
  person,
  TestClient,
  TestService,
  until,
  type Person,
} from './support/harness';

// Reactions (issue #13) against the real Postgres, Redis, Kafka and Keycloak, on two instances
// sharing one database, Redis prefix and topics: REST on either, live events to subscribers of
// both, history and replay with `me`, the Redis history flushed, idempotent races.

/** A parsed JSON body, read by the expectations. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('reactions over REST and STOMP, on two instances', () => {
  const a = new TestService({ RATE_LIMIT_MESSAGES: '1000' });
  let b: TestService;
  let alice: Person, bob: Person, carol: Person, mod: Person;
  /** @everyone: view, send, history — no ADD_REACTIONS (bob joins, cannot start one). */
  const plain = newId();
  /** @everyone also ADD_REACTIONS, by a channel overwrite. */
  const open = newId();
  const clients: TestClient[] = [];
  const redis = createClient({ url: a.config.REDIS_URL });

  const connect = async (service: TestService, p: Person) => {
    const c = await new TestClient(service.wsUrl, p.token).connect();
    clients.push(c);
    return c;
  };

  /** A REST call to `service`; answers status and parsed body (none for 204). */
  async function call(
    service: TestService,
    method: string,
    path: string,
    p: Person,
  ): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${service.url}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${p.token}` },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const r = (channelId: string, messageId: string, rest = '') =>
    `/channels/${channelId}/messages/${messageId}/reactions${rest}`;
  const e = (emoji: string) => `/${encodeURIComponent(emoji)}`;

  /** Sends a message as `p` through instance a; answers its id and seq. */
  async function post(channelId: string, p: Person, content: string) {
    const c = await connect(a, p);
    const o = await outcome(
      c,
      c.send(`/app/channels/${channelId}/messages`, { content, nonce: newId() }),
    );
    if (!o.receipt) throw new Error(`refused: ${o.rejection?.headers.message}`);
    return { id: o.receipt.headers['message-id']!, seq: Number(o.receipt.headers.seq) };
  }

  beforeAll(async () => {
    [alice, bob, carol, mod] = await Promise.all([
      person('alice'),
      person('bob'),
      person('carol'),
      person('mod'),
    ]);
    b = new TestService({
      RATE_LIMIT_MESSAGES: '1000',
      DATABASE_SCHEMA: a.config.DATABASE_SCHEMA,
      REDIS_KEY_PREFIX: a.config.REDIS_KEY_PREFIX,
      SERVER_EVENTS_TOPIC: a.config.SERVER_EVENTS_TOPIC,
      CHAT_MESSAGES_TOPIC: a.config.CHAT_MESSAGES_TOPIC,
      KAFKA_GROUP_PREFIX: a.config.KAFKA_GROUP_PREFIX,
    });
    await a.start();
    await b.start();
    await redis.connect();
    const probe = newId();
    const created = guildCreated(alice, [bob], [{ id: plain }, { id: open }]);
    const guildId = created.data.guild.id;
    await a.publish(
      created,
      serverEvent('channel.overwrites-changed', guildId, {
        guildId,
        channelId: open,
        overwrites: [
          { id: guildId, type: 'role', allow: String(Permissions.ADD_REACTIONS), deny: '0' },
        ],
      }),
      // Same guild, same partition: once this channel is projected, so is the overwrite.
      serverEvent('channel.created', guildId, {
        channel: { ...created.data.channels![0]!, id: probe, name: 'probe', position: 2 },
      }),
    );
    await until(
      async () => (await a.get(`/api/channels/${probe}/messages`, bob.token)).status === 200,
      30_000,
      'the projection',
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await redis.quit().catch(() => undefined);
    await b?.service?.stop();
    await a.stop();
  }, 60_000);

  it('adds, lists, removes; refuses what the rules refuse with problem+json', async () => {
    const m = await post(plain, alice, 'react here');
    const thumbs = r(plain, m.id, e('👍'));
    // a new emoji needs ADD_REACTIONS: bob has none in this channel
    const refused = await call(a, 'PUT', `${thumbs}/@me`, bob);
    expect(refused).toMatchObject({ status: 403, body: { code: 'missing_permission' } });
    expect(await call(a, 'PUT', `${thumbs}/@me`, alice)).toMatchObject({ status: 204 });
    // joining one already there needs only VIEW_CHANNEL and READ_MESSAGE_HISTORY
    expect(await call(b, 'PUT', `${thumbs}/@me`, bob)).toMatchObject({ status: 204 });
    expect((await call(a, 'GET', thumbs, carol)).status).toBe(404); // not a member: no channel
    expect((await call(a, 'PUT', `${thumbs}/@me`, carol)).status).toBe(404);
    const users = await call(b, 'GET', thumbs, bob);
    expect(users.status).toBe(200);
    expect(users.body).toEqual(
      [
        { id: alice.id, username: 'alice' },
        { id: bob.id, username: 'bob' },
      ].sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
    const [first] = users.body as { id: string }[];
    expect((await call(a, 'GET', `${thumbs}?limit=1`, bob)).body).toEqual([users.body[0]]);
    expect((await call(a, 'GET', `${thumbs}?after=${first!.id}&limit=100`, bob)).body).toEqual([
      users.body[1],
    ]);
    for (const limit of ['0', '101', 'x'])
      expect((await call(a, 'GET', `${thumbs}?limit=${limit}`, bob)).status).toBe(400);

    // not one emoji: 400 problem+json, nothing stored
    for (const bad of ['a', '👍👍', ':smile:', '👍 ']) {
      const res = await fetch(`${a.url}/api${r(plain, m.id, e(bad))}/@me`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${alice.token}` },
      });
      expect({ bad, status: res.status, type: res.headers.get('content-type') }).toEqual({
        bad,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
    }
    // others' reactions: MANAGE_MESSAGES (bob has not; the realm moderator has)
    expect((await call(a, 'DELETE', `${thumbs}/${alice.id}`, bob)).status).toBe(403);
    expect((await call(a, 'DELETE', r(plain, m.id), bob)).status).toBe(403);
    expect((await call(a, 'DELETE', thumbs, bob)).status).toBe(403);
    expect((await call(a, 'DELETE', `${thumbs}/${bob.id}`, mod)).status).toBe(204);
    expect((await call(a, 'GET', `/channels/${plain}/messages/${m.id}`, alice)).body).toMatchObject(
      { id: m.id, reactions: [{ emoji: '👍', count: 1, me: true }] },
    );
    expect((await call(a, 'DELETE', `${thumbs}/@me`, alice)).status).toBe(204);
    expect((await call(a, 'DELETE', `${thumbs}/@me`, alice)).status).toBe(204); // again: no-op
    expect((await call(a, 'GET', thumbs, alice)).body).toEqual([]);

    // the 21st distinct emoji is refused (400 max_reactions); joining one of the 20 is not
    const twenty = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂'];
    for (const emoji of twenty)
      expect((await call(a, 'PUT', `${r(plain, m.id, e(emoji))}/@me`, alice)).status).toBe(204);
    expect(await call(a, 'PUT', `${r(plain, m.id, e('🤗'))}/@me`, alice)).toMatchObject({
      status: 400,
      body: { code: 'max_reactions' },
    });
    expect((await call(a, 'PUT', `${r(plain, m.id, e('😀'))}/@me`, bob)).status).toBe(204);
    expect((await call(a, 'DELETE', r(plain, m.id), mod)).status).toBe(204);
    expect((await call(a, 'GET', `/channels/${plain}/messages/${m.id}`, alice)).body).toMatchObject(
      { reactions: [] },
    );

    // a deleted message cannot be reacted to; GET one message still shows it
    const c = await connect(a, alice);
    expect(
      (await outcome(c, c.send(`/app/channels/${plain}/messages/${m.id}/delete`, ''))).receipt,
    ).toBeDefined();
    expect(await call(a, 'PUT', `${thumbs}/@me`, alice)).toMatchObject({
      status: 404,
      body: { code: 'unknown_message' },
    });
    expect((await call(a, 'GET', `/channels/${plain}/messages/${m.id}`, alice)).body).toMatchObject(
      { id: m.id, content: '', deletedAt: expect.any(String), reactions: [] },
    );
    expect((await call(a, 'GET', `/channels/${plain}/messages/${newId()}`, alice)).status).toBe(
      404,
    );
    expect((await call(a, 'GET', `/channels/${plain}/messages/${m.id}`, carol)).status).toBe(404);
  });

  it('counts racing and repeated reactions once each, and tells subscribers of both instances', async () => {
    const onA = await connect(a, alice);
    const onB = await connect(b, bob);
    const topic = `/topic/channels/${open}`;
    await outcome(onA, onA.subscribe(topic));
    await outcome(onB, onB.subscribe(topic));
    const m = await post(open, alice, 'race');
    const heart = `${r(open, m.id, e('❤️'))}/@me`;
    // alice twice and bob, at once, on two instances
    const statuses = await Promise.all([
      call(a, 'PUT', heart, alice),
      call(b, 'PUT', heart, alice),
      call(b, 'PUT', heart, bob),
      call(a, 'PUT', heart, bob),
    ]);
    expect(statuses.map((s) => s.status)).toEqual([204, 204, 204, 204]);
    expect((await call(a, 'GET', r(open, m.id, e('❤️')), alice)).body).toHaveLength(2);
    for (const c of [onA, onB]) {
      const added = await until(
        () => c.of(topic, 'reaction.added').length >= 2 && c.of(topic, 'reaction.added'),
        10_000,
        'reaction.added on both instances',
      );
      const bodies = added.map((f) => JSON.parse(f.body));
      expect(bodies.map((x) => x.count).sort()).toEqual([1, 2]);
      expect(bodies.map((x) => x.userId).sort()).toEqual([alice.id, bob.id].sort());
      expect(bodies[0]).toMatchObject({ messageId: m.id, emoji: '❤️' });
    }
    expect((await call(b, 'DELETE', heart, bob)).status).toBe(204);
    expect((await call(a, 'DELETE', r(open, m.id, e('❤️')), alice)).status).toBe(204);
    for (const c of [onA, onB]) {
      await until(() => c.of(topic, 'reaction.cleared').length, 10_000, 'reaction.cleared');
      expect(JSON.parse(c.of(topic, 'reaction.removed')[0]!.body)).toEqual({
        messageId: m.id,
        emoji: '❤️',
        userId: bob.id,
        count: 1,
      });
      expect(JSON.parse(c.of(topic, 'reaction.cleared')[0]!.body)).toEqual({
        messageId: m.id,
        emoji: '❤️',
      });
      // exactly one event per stored change: the repeated PUT added nothing
      expect(c.of(topic, 'reaction.added')).toHaveLength(2);
    }
  });

  it('gives history and replay their reactions with `me` per reader, after a Redis flush too', async () => {
    const first = await post(open, alice, 'one');
    const second = await post(open, alice, 'two');
    expect((await call(a, 'PUT', `${r(open, first.id, e('🎉'))}/@me`, bob)).status).toBe(204);
    expect((await call(a, 'PUT', `${r(open, first.id, e('🇫🇷'))}/@me`, alice)).status).toBe(204);
    expect((await call(b, 'PUT', `${r(open, second.id, e('👨‍👩‍👧‍👦'))}/@me`, alice)).status).toBe(204);
    const expected = (me: 'alice' | 'bob') => [
      {
        id: first.id,
        reactions: [
          { emoji: '🎉', count: 1, me: me === 'bob' },
          { emoji: '🇫🇷', count: 1, me: me === 'alice' },
        ],
      },
      { id: second.id, reactions: [{ emoji: '👨‍👩‍👧‍👦', count: 1, me: me === 'alice' }] },
    ];
    const page = async (p: Person) =>
      (
        (await call(a, 'GET', `/channels/${open}/messages?after=${first.seq - 1}`, p)).body as {
          id: string;
          reactions: unknown;
        }[]
      )
        .filter((x) => x.id === first.id || x.id === second.id)
        .map(({ id, reactions }) => ({ id, reactions }));
    expect(await page(bob)).toEqual(expected('bob'));
    expect(await page(alice)).toEqual(expected('alice'));

    const replayed = async (service: TestService, p: Person) => {
      const c = await connect(service, p);
      const topic = `/topic/channels/${open}`;
      await outcome(c, c.subscribe(topic, { 'after-seq': String(first.seq - 1) }));
      const frames = await until(
        () => c.of(topic, 'message.created').length >= 2 && c.of(topic, 'message.created'),
        10_000,
        'replay',
      );
      return frames
        .map((f) => JSON.parse(f.body))
        .filter((x) => x.id === first.id || x.id === second.id)
        .map(({ id, reactions }) => ({ id, reactions }));
    };
    expect(await replayed(b, bob)).toEqual(expected('bob'));

    // the Redis history goes (expiry, flush): the messages come from the archive, the
    // reactions from Postgres as before
    const keys = (await redis.keys(`${a.config.REDIS_KEY_PREFIX}*`)).filter((k) =>
      k.includes(open),
    );
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(keys);
    expect(await redis.keys(`${a.config.REDIS_KEY_PREFIX}*${open}*`)).toEqual([]);
    await until(
      async () => (await page(bob)).length === 2,
      10_000,
      'the archive to hold both messages',
    );
    expect(await page(bob)).toEqual(expected('bob'));
    expect(await replayed(a, alice)).toEqual(expected('alice'));
  });
});
