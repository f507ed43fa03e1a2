import { Permissions, serverEvent } from '@echopulse/guild-contracts';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { ChatMessage } from '@echopulse/chat-contracts';
import type { ChatRecord } from '../src/messages/chat-message';
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

// Issue #10 item 3: an edit is a send as far as rules go. It needs SEND_MESSAGES in the channel
// and counts against the same per-user rate limit as sends (slowmode does not apply to edits, as
// on Discord). A refused edit changes nothing: no stored edit, no chat.messages record.

const LIMIT = 10;

describe('message edits: SEND_MESSAGES and the per-user rate limit', () => {
  const t = new TestService({
    RATE_LIMIT_MESSAGES: String(LIMIT),
    RATE_LIMIT_WINDOW_SECONDS: '120',
  });
  let alice: Person, bob: Person;
  let guildId: string;
  const deniedChannel = newId();
  const burstChannel = newId();
  const clients: TestClient[] = [];
  const records: ChatRecord[] = [];
  let consumer: Consumer;

  const client = async (p: Person) => {
    const c = await new TestClient(t.wsUrl, p.token).connect();
    clients.push(c);
    return c;
  };
  const messages = (channelId: string) => `/app/channels/${channelId}/messages`;
  const edit = (channelId: string, id: string) => `/app/channels/${channelId}/messages/${id}/edit`;
  /** Every chat.messages record of a channel up to and including the message `last`. */
  const recordsUntil = async (channelId: string, last: string) => {
    await until(
      () => records.some((r) => r.message.id === last),
      20_000,
      `the chat.messages record of ${last}`,
    );
    return records.filter((r) => r.message.channelId === channelId);
  };
  const history = async (channelId: string, token: string) => {
    const page = await t.get(`/api/channels/${channelId}/messages?limit=100`, token);
    expect(page.status).toBe(200);
    return page.body as ChatMessage[];
  };

  beforeAll(async () => {
    [alice, bob] = await Promise.all([person('alice'), person('bob')]);
    await t.start();
    const created = guildCreated(
      alice,
      [bob],
      [{ id: deniedChannel }, { id: burstChannel, slowmodeSeconds: 60 }],
    );
    guildId = created.data.guild.id;
    await t.publish(created);
    await until(
      async () => (await t.get(`/api/channels/${burstChannel}/messages`, bob.token)).status === 200,
      30_000,
      'the projection',
    );
    const kafka = new Kafka({ brokers: t.config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `${t.run}.edit-limits-check` });
    await consumer.connect();
    await consumer.subscribe({ topic: t.config.CHAT_MESSAGES_TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void records.push(JSON.parse(message.value!.toString()) as ChatRecord),
    });
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await Promise.all(clients.map((c) => c.close()));
    await t.stop();
  }, 60_000);

  it('refuses every edit of a member whom an overwrite denies SEND_MESSAGES, and changes nothing', async () => {
    const b = await client(bob); // the member who loses SEND_MESSAGES (alice owns the guild)
    const a = await client(alice);
    const topic = `/topic/channels/${deniedChannel}`;
    await outcome(a, a.subscribe(topic));
    const sent = await outcome(
      b,
      b.send(messages(deniedChannel), { content: 'original', nonce: 'o1' }),
    );
    const id = sent.receipt!.headers['message-id']!;

    // bob keeps VIEW_CHANNEL but loses SEND_MESSAGES in this channel only
    await t.publish(
      serverEvent('channel.overwrites-changed', guildId, {
        guildId,
        channelId: deniedChannel,
        overwrites: [
          { id: bob.id, type: 'member', allow: '0', deny: String(Permissions.SEND_MESSAGES) },
        ],
      }),
    );
    await until(
      async () =>
        (await outcome(b, b.send(`/app/channels/${deniedChannel}/typing`, ''))).rejection?.headers
          .code === 'forbidden',
      20_000,
      'the overwrite to reach the projection',
    );

    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await outcome(b, b.send(edit(deniedChannel, id), { content: `edited ${i}` }));
      codes.push(r.receipt ? 'accepted' : r.rejection?.headers.code);
    }
    expect(codes).toEqual(Array.from({ length: 20 }, () => 'forbidden'));
    const refusal = b.errors.find(
      (m) => m.headers.code === 'forbidden' && m.headers['rejected-destination']?.endsWith('/edit'),
    );
    expect(refusal?.headers.message).toMatch(/send messages/);

    // nothing changed: history, live traffic and Kafka hold the original only
    const [stored] = (await history(deniedChannel, alice.token)).filter((m) => m.id === id);
    expect(stored).toMatchObject({ id, content: 'original' });
    expect(stored!.editedAt).toBeUndefined();
    const sentinel = await outcome(
      a,
      a.send(messages(deniedChannel), { content: 'end', nonce: 'o2' }),
    );
    const kafka = await recordsUntil(deniedChannel, sentinel.receipt!.headers['message-id']!);
    expect(kafka.map((r) => r.type)).toEqual(['message.created', 'message.created']);
    expect(a.of(topic, 'message.updated')).toEqual([]);
  });

  it('counts edits against the per-user rate limit shared with sends, refusing the rest with rate_limited and changing nothing; slowmode does not apply to edits', async () => {
    const b = await client(bob);
    const sent = await outcome(b, b.send(messages(burstChannel), { content: 'v0', nonce: 'b0' }));
    const id = sent.receipt!.headers['message-id']!; // bob is now in this channel's 60 s slowmode

    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        outcome(b, b.send(edit(burstChannel, id), { content: `v${i + 1}` })).then((r) => ({
          content: `v${i + 1}`,
          ...r,
        })),
      ),
    );
    const accepted = results.filter((r) => r.receipt);
    const refused = results.filter((r) => r.rejection);
    // bob has sent one or two messages in this window (the other test's original, and v0)
    expect(accepted.length).toBeGreaterThanOrEqual(LIMIT - 2);
    expect(accepted.length).toBeLessThanOrEqual(LIMIT - 1);
    expect(refused.length).toBe(30 - accepted.length);
    for (const r of refused) {
      expect(r.rejection!.headers.code).toBe('rate_limited'); // never slowmode
      const retryAfter = Number(r.rejection!.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(120_000);
    }

    // the bucket is shared: a send right after the burst is refused too
    const send = await outcome(b, b.send(messages(burstChannel), { content: 'more', nonce: 'b1' }));
    expect(send.rejection?.headers.code).toBe('rate_limited');

    // only the accepted edits reached Kafka and history
    const a = await client(alice);
    const sentinel = await outcome(
      a,
      a.send(messages(burstChannel), { content: 'end', nonce: 'b2' }),
    );
    const kafka = await recordsUntil(burstChannel, sentinel.receipt!.headers['message-id']!);
    const updates = kafka.filter((r) => r.type === 'message.updated');
    expect(updates.map((r) => r.message.content).sort()).toEqual(
      accepted.map((r) => r.content).sort(),
    );
    const [stored] = (await history(burstChannel, alice.token)).filter((m) => m.id === id);
    expect(stored!.content).toBe(updates.at(-1)!.message.content);
  });
});
