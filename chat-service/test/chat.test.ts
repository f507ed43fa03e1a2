import { serverEvent } from '@echopulse/guild-contracts';
import { accessToken } from '@echopulse/infra/testing';
import { Kafka, logLevel } from 'kafkajs';
import { createClient } from 'redis';
import { validate } from './support/asyncapi';
import type { ChatMessage } from '@echopulse/chat-contracts';
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

// chat-service in-process against the real Postgres, Redis, Kafka and Keycloak: the guild comes
// from a real server.events record, users log in with real Keycloak tokens, clients are
// @stomp/stompjs over WebSocket.

describe('chat-service over STOMP and REST', () => {
  const t = new TestService({ RATE_LIMIT_MESSAGES: '1000' });
  let alice: Person, bob: Person, carol: Person;
  const channelId = newId();
  const slowChannelId = newId();
  let guildId: string;
  const clients: TestClient[] = [];
  const owners = new Map<TestClient, string | undefined>();
  const client = async (p: Person | undefined) => {
    const c = new TestClient(t.wsUrl, p?.token);
    clients.push(c);
    owners.set(c, p?.name);
    return c;
  };
  const topic = `/topic/channels/${channelId}`;

  beforeAll(async () => {
    [alice, bob, carol] = await Promise.all([person('alice'), person('bob'), person('carol')]);
    await t.start();
    const created = guildCreated(
      alice,
      [bob],
      [{ id: channelId }, { id: slowChannelId, slowmodeSeconds: 60 }],
    );
    guildId = created.data.guild.id;
    await t.publish(created);
    await until(
      async () => (await t.get(`/api/channels/${channelId}/messages`, alice.token)).status === 200,
      30_000,
      'the projection',
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.stop();
  }, 60_000);

  it('refuses CONNECT without a token or with a bad one, with the reason as ERROR', async () => {
    const none = await client(undefined);
    await expect(none.connect()).rejects.toThrow(/access token/);
    expect(none.stompError?.body).toMatch(/^unauthenticated/);
    const bad = await client({ name: 'alice', id: 'x', token: 'not.a.jwt' });
    await expect(bad.connect()).rejects.toThrow();
    expect(bad.stompError?.body).toMatch(/^token_invalid/);
  });

  it('extends a session with a fresh token of the same user, refuses a bad one, ends it for another user', async () => {
    const a = await (await client(alice)).connect();
    const fresh = await accessToken('alice');
    expect((await outcome(a, a.send('/app/session/token', fresh))).receipt).toBeDefined();
    const bad = await outcome(a, a.send('/app/session/token', 'not-a-token'));
    expect(bad.rejection?.headers.code).toBe('token_invalid');
    expect(a.client.connected).toBe(true);
    a.send('/app/session/token', bob.token);
    await until(() => a.stompError, 10_000, 'ERROR');
    expect(a.stompError!.body).toMatch(/^token_subject_changed/);
  });

  it('delivers a message to every subscriber after the RECEIPT says message-id and seq', async () => {
    const a = await (await client(alice)).connect();
    const b = await (await client(bob)).connect();
    expect((await outcome(a, a.subscribe(topic))).receipt).toBeDefined();
    expect((await outcome(b, b.subscribe(topic))).receipt).toBeDefined();
    const sent = await outcome(
      a,
      a.send(`/app/channels/${channelId}/messages`, {
        content: ' hi <@' + bob.id + '> ',
        nonce: 'n-1',
      }),
    );
    expect(sent.receipt?.headers).toMatchObject({ seq: '1' });
    const id = sent.receipt!.headers['message-id'];
    const [live] = await until(
      () => b.of(topic, 'message.created').length && b.of(topic, 'message.created'),
    );
    const body = JSON.parse(live!.body) as ChatMessage;
    expect(body).toMatchObject({
      id,
      seq: 1,
      channelId,
      guildId,
      content: `hi <@${bob.id}>`,
      author: { id: alice.id, username: 'alice' },
    });
    expect(body.mentions).toEqual({ users: [bob.id], everyone: false });

    // The same nonce again: the original, not a second message.
    const again = await outcome(
      a,
      a.send(`/app/channels/${channelId}/messages`, { content: 'hi again', nonce: 'n-1' }),
    );
    expect(again.receipt?.headers).toMatchObject({ 'message-id': id, seq: '1' });
    await new Promise((r) => setTimeout(r, 300));
    expect(b.of(topic, 'message.created')).toHaveLength(1);
  });

  it('refuses bad input on /user/queue/errors and keeps the session', async () => {
    const a = await (await client(alice)).connect();
    for (const [body, code] of [
      ['{"content":"   ","nonce":"e1"}', 'invalid_message'],
      ['nope', 'invalid_message'],
      [{ content: 'x'.repeat(4001), nonce: 'e2' }, 'invalid_message'],
    ] as const) {
      const r = await outcome(a, a.send(`/app/channels/${channelId}/messages`, body));
      expect(r.rejection?.headers.code).toBe(code);
    }
    const unknown = await outcome(
      a,
      a.send(`/app/channels/${newId()}/messages`, { content: 'x', nonce: 'e3' }),
    );
    expect(unknown.rejection?.headers.code).toBe('not_found');
    expect(a.client.connected).toBe(true);
    const ok = await outcome(
      a,
      a.send(`/app/channels/${channelId}/messages`, { content: 'still here', nonce: 'e4' }),
    );
    expect(ok.receipt).toBeDefined();
  });

  it('keeps carol, who is no member, out of the channel and the guild', async () => {
    const c = await (await client(carol)).connect();
    expect((await outcome(c, c.subscribe(topic))).rejection?.headers.code).toBe('not_found');
    expect(
      (await outcome(c, c.subscribe(`/topic/guilds/${guildId}`))).rejection?.headers.code,
    ).toBe('not_found');
    expect(
      (
        await outcome(
          c,
          c.send(`/app/channels/${channelId}/messages`, { content: 'x', nonce: 'c1' }),
        )
      ).rejection?.headers.code,
    ).toBe('not_found');
    expect((await t.get(`/api/channels/${channelId}/messages`, carol.token)).status).toBe(404);
  });

  it('applies slowmode per member with retry-after', async () => {
    const b = await (await client(bob)).connect();
    const first = await outcome(
      b,
      b.send(`/app/channels/${slowChannelId}/messages`, { content: 'one', nonce: 's1' }),
    );
    expect(first.receipt).toBeDefined();
    const second = await outcome(
      b,
      b.send(`/app/channels/${slowChannelId}/messages`, { content: 'two', nonce: 's2' }),
    );
    expect(second.rejection?.headers.code).toBe('slowmode');
    expect(Number(second.rejection?.headers['retry-after'])).toBeGreaterThan(50_000);
  });

  it('replays after-seq with no gap and no duplicate while messages keep coming', async () => {
    const a = await (await client(alice)).connect();
    const base = Number(
      (
        await outcome(
          a,
          a.send(`/app/channels/${channelId}/messages`, { content: 'base', nonce: 'r0' }),
        )
      ).receipt!.headers.seq,
    );
    const sends: Promise<unknown>[] = [];
    for (let i = 1; i <= 30; i++)
      sends.push(
        outcome(
          a,
          a.send(`/app/channels/${channelId}/messages`, { content: `r${i}`, nonce: `r${i}` }),
        ),
      );
    const b = await (await client(bob)).connect();
    b.subscribe(topic, { 'after-seq': '0' });
    await Promise.all(sends);
    const seqs = await until(
      () => {
        const got = b.of(topic, 'message.created').map((m) => Number(m.headers.seq));
        return got.length >= base + 30 && got;
      },
      20_000,
      'replay and live',
    );
    expect(seqs).toEqual(Array.from({ length: base + 30 }, (_, i) => i + 1));
  });

  it('shows edits and deletes live; only the author edits, others may not delete', async () => {
    const a = await (await client(alice)).connect();
    const b = await (await client(bob)).connect();
    await outcome(b, b.subscribe(topic));
    const sent = await outcome(
      a,
      a.send(`/app/channels/${channelId}/messages`, { content: 'typo', nonce: 'ed1' }),
    );
    const id = sent.receipt!.headers['message-id']!;
    expect(
      (
        await outcome(
          b,
          b.send(`/app/channels/${channelId}/messages/${id}/edit`, { content: 'mine now' }),
        )
      ).rejection?.headers.code,
    ).toBe('forbidden');
    expect(
      (await outcome(b, b.send(`/app/channels/${channelId}/messages/${id}/delete`, ''))).rejection
        ?.headers.code,
    ).toBe('forbidden');
    expect(
      (
        await outcome(
          a,
          a.send(`/app/channels/${channelId}/messages/${id}/edit`, { content: 'fixed' }),
        )
      ).receipt,
    ).toBeDefined();
    const [edit] = await until(
      () => b.of(topic, 'message.updated').length && b.of(topic, 'message.updated'),
    );
    expect(JSON.parse(edit!.body)).toMatchObject({ id, content: 'fixed' });
    expect(JSON.parse(edit!.body).editedAt).toBeDefined();
    expect(
      (await outcome(a, a.send(`/app/channels/${channelId}/messages/${id}/delete`, ''))).receipt,
    ).toBeDefined();
    const [gone] = await until(
      () => b.of(topic, 'message.deleted').length && b.of(topic, 'message.deleted'),
    );
    expect(JSON.parse(gone!.body)).toMatchObject({ id, content: '' });
    // History shows it deleted too (Redis or archive).
    const seq = JSON.parse(gone!.body).seq as number;
    const page = await until(async () => {
      const r = await t.get(`/api/channels/${channelId}/messages?around=${seq}&limit=3`, bob.token);
      const m = (r.body as ChatMessage[]).find((x) => x.id === id);
      return m?.deletedAt && m;
    });
    expect(page.content).toBe('');
  });

  it('serves history from Postgres once Redis is flushed, identical to before', async () => {
    const before = (await t.get(`/api/channels/${channelId}/messages?limit=100`, alice.token))
      .body as ChatMessage[];
    expect(before.length).toBeGreaterThan(30);
    expect(before.map((m) => m.seq)).toEqual(before.map((_, i) => i + 1));
    // wait for the archiver to hold the newest, then drop this test's Redis keys
    const redis = createClient({ url: t.config.REDIS_URL });
    await redis.connect();
    const last = before[before.length - 1]!;
    await until(async () => {
      const rows = await redis.keys(`${t.config.REDIS_KEY_PREFIX}history:*`);
      return rows.length > 0;
    });
    await until(async () => {
      const r = await fetch(`${t.url}/api/channels/${channelId}/messages?after=${last.seq - 1}`, {
        headers: { Authorization: `Bearer ${alice.token}` },
      });
      return r.ok;
    });
    await new Promise((r) => setTimeout(r, 1500)); // archiver batches
    for (const key of await redis.keys(`${t.config.REDIS_KEY_PREFIX}history:*`))
      await redis.del(key);
    await redis.quit();
    const after = (await t.get(`/api/channels/${channelId}/messages?limit=100`, alice.token))
      .body as ChatMessage[];
    expect(after).toEqual(before);
    const page = (await t.get(`/api/channels/${channelId}/messages?before=11&limit=5`, alice.token))
      .body as ChatMessage[];
    expect(page.map((m) => m.seq)).toEqual([6, 7, 8, 9, 10]);
    const bad = await t.get(`/api/channels/${channelId}/messages?before=3&after=1`, alice.token);
    expect(bad.status).toBe(400);
    const badLimit = await t.get(`/api/channels/${channelId}/messages?limit=500`, alice.token);
    expect(badLimit.status).toBe(400);
  });

  it('sends typing to the others and keeps read markers with unread and mention counts', async () => {
    const a = await (await client(alice)).connect();
    const b = await (await client(bob)).connect();
    await outcome(b, b.subscribe(topic));
    expect(
      (await outcome(a, a.send(`/app/channels/${channelId}/typing`, ''))).receipt,
    ).toBeDefined();
    const [typing] = await until(() => b.of(topic, 'typing').length && b.of(topic, 'typing'));
    expect(JSON.parse(typing!.body)).toMatchObject({
      userId: alice.id,
      username: 'alice',
      channelId,
    });

    const states = async () =>
      (
        (await t.get('/api/users/@me/read-states', bob.token)).body as {
          channelId: string;
          unreadCount: number;
          mentionCount: number;
          lastReadSeq: number;
          lastSeq: number;
        }[]
      ).find((s) => s.channelId === channelId)!;
    const before = await until(async () => {
      const s = await states();
      return s.mentionCount >= 1 && s;
    });
    expect(before.unreadCount).toBeGreaterThan(0);
    const marked = await outcome(
      b,
      b.send(`/app/channels/${channelId}/read`, { seq: before.lastSeq }),
    );
    expect(marked.receipt?.headers.seq).toBe(String(before.lastSeq));
    const after = await states();
    expect(after).toMatchObject({ lastReadSeq: before.lastSeq, unreadCount: 0, mentionCount: 0 });
    expect(
      (await outcome(b, b.send(`/app/channels/${channelId}/read`, { seq: -1 }))).rejection?.headers
        .code,
    ).toBe('invalid_message');
  });

  it('reports presence live and by REST, and ends subscriptions at once when a member is kicked', async () => {
    const a0 = await (await client(alice)).connect();
    const guildTopic = `/topic/guilds/${guildId}`;
    await outcome(a0, a0.subscribe(guildTopic));
    // bob's earlier sessions end: he goes offline, then comes back online
    await Promise.all(clients.filter((c) => owners.get(c) === 'bob').map((c) => c.close()));
    await until(() => a0.of(guildTopic).some((m) => JSON.parse(m.body).status === 'offline'));
    const b = await (await client(bob)).connect();
    const changes = await until(() => {
      const mine = a0
        .of(guildTopic)
        .map((m) => JSON.parse(m.body) as { userId: string; status: string });
      return mine.at(-1)?.status === 'online' && mine;
    });
    expect(changes.slice(-2)).toEqual([
      { userId: bob.id, status: 'offline' },
      { userId: bob.id, status: 'online' },
    ]);
    expect(a0.of(guildTopic).every((m) => m.headers.event === 'presence')).toBe(true);
    await outcome(b, b.subscribe(topic));
    await outcome(b, b.subscribe(`/topic/guilds/${guildId}`));
    const presence = (await t.get(`/api/guilds/${guildId}/presence`, alice.token)).body as {
      userId: string;
      status: string;
    }[];
    expect(presence.find((p) => p.userId === bob.id)?.status).toBe('online');
    expect(presence.find((p) => p.userId === alice.id)).toBeDefined();

    await t.publish(serverEvent('member.kicked', guildId, { guildId, userId: bob.id }));
    const ended = await until(
      () =>
        b.notices.filter((n) => JSON.parse(n.body).type === 'subscription-ended').length >= 2 &&
        b.notices,
      15_000,
      'notices',
    );
    expect(ended.map((n) => JSON.parse(n.body).destination).sort()).toEqual(
      [`/topic/channels/${channelId}`, `/topic/guilds/${guildId}`].sort(),
    );
    const a = await (await client(alice)).connect();
    const count = b.of(topic).length;
    await outcome(
      a,
      a.send(`/app/channels/${channelId}/messages`, { content: 'after the kick', nonce: 'k1' }),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(b.of(topic)).toHaveLength(count);
    expect((await outcome(b, b.subscribe(topic))).rejection?.headers.code).toBe('not_found');
  });

  it('sends only what openapi/chat.asyncapi.yaml describes (every frame the clients got, every Kafka record)', async () => {
    // one of each reaction event, and a replayed message that carries reactions
    const r = await (await client(alice)).connect();
    await outcome(r, r.subscribe(topic));
    const sent = await outcome(
      r,
      r.send(`/app/channels/${channelId}/messages`, { content: 'react to me', nonce: 'react-1' }),
    );
    const messageId = sent.receipt!.headers['message-id']!;
    const reactions = `/api/channels/${channelId}/messages/${messageId}/reactions`;
    const call = async (method: string, path: string) =>
      (await fetch(t.url + path, { method, headers: { Authorization: `Bearer ${alice.token}` } }))
        .status;
    expect(await call('PUT', `${reactions}/${encodeURIComponent('👍')}/@me`)).toBe(204);
    expect(await call('PUT', `${reactions}/${encodeURIComponent('🎉')}/@me`)).toBe(204);
    expect(await call('DELETE', `${reactions}/${encodeURIComponent('👍')}/@me`)).toBe(204);
    const replayed = await (await client(alice)).connect();
    await outcome(
      replayed,
      replayed.subscribe(topic, { 'after-seq': String(Number(sent.receipt!.headers.seq) - 1) }),
    );
    expect(await call('DELETE', reactions)).toBe(204);
    await until(() => r.of(topic, 'reaction.cleared').length, 10_000, 'reaction.cleared');
    await until(() => replayed.of(topic, 'reaction.cleared').length, 10_000, 'replayed');
    expect(JSON.parse(replayed.of(topic, 'message.created')[0]!.body).reactions).toEqual([
      { emoji: '🎉', count: 1, me: true },
    ]);

    const problems: string[] = [];
    const seen = new Map<string, number>();
    const check = (name: string, value: unknown, part: 'payload' | 'headers' = 'payload') => {
      seen.set(name, (seen.get(name) ?? 0) + 1);
      problems.push(...validate(name, value, part));
    };
    const channelMessage: Record<string, string> = {
      'message.created': 'messageCreated',
      'message.updated': 'messageUpdated',
      'message.deleted': 'messageDeleted',
      typing: 'typing',
      'reaction.added': 'reactionAdded',
      'reaction.removed': 'reactionRemoved',
      'reaction.cleared': 'reactionCleared',
    };
    for (const c of clients) {
      for (const [destination, list] of c.messages) {
        for (const m of list) {
          if (destination.startsWith('/topic/channels/')) {
            const name = channelMessage[m.headers.event!] ?? `unknown event ${m.headers.event}`;
            check(name, JSON.parse(m.body));
            if (name.startsWith('reaction')) check(name, m.headers, 'headers');
          } else if (destination.startsWith('/topic/guilds/')) {
            check('presence', JSON.parse(m.body));
          }
        }
      }
      for (const n of c.notices) check('notice', JSON.parse(n.body));
      for (const e of c.errors) check('rejection', e.headers, 'headers');
    }
    const kafka = new Kafka({ brokers: t.config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${t.run}.asyncapi-check` });
    await consumer.connect();
    await consumer.subscribe({ topic: t.config.CHAT_MESSAGES_TOPIC, fromBeginning: true });
    const records: unknown[] = [];
    try {
      await consumer.run({
        eachMessage: async ({ message }) =>
          void records.push(JSON.parse(message.value!.toString())),
      });
      await until(() => records.length >= 39, 20_000, 'chat.messages records'); // all this file produced
    } finally {
      await consumer.disconnect();
    }
    for (const r of records) check('chatRecord', r);
    expect(problems).toEqual([]);
    // every kind of traffic was really seen, so the check covered it
    for (const name of [
      'messageCreated',
      'messageUpdated',
      'messageDeleted',
      'typing',
      'reactionAdded',
      'reactionRemoved',
      'reactionCleared',
      'presence',
      'notice',
      'rejection',
      'chatRecord',
    ])
      expect({ name, seen: (seen.get(name) ?? 0) > 0 }).toEqual({ name, seen: true });
  });
});
