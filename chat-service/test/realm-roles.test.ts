import { Permissions, serverEvent } from '@echopulse/guild-contracts';
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

// What the Keycloak realm roles `moderator` and `admin` may do in a guild they are not a member
// of, and what a guild ban does to them (guild-contracts' canAccessGuild and
// computeChannelPermissions, fed the same facts as in server-service). Real Keycloak tokens of the
// dev users `mod` and `admin`; the guilds come from real server.events records.

describe('realm moderators and admins in chat-service', () => {
  const t = new TestService({ RATE_LIMIT_MESSAGES: '1000' });
  let alice: Person, bob: Person, mod: Person, admin: Person;
  /** A guild of alice and bob: #general, and #secret hidden from @everyone. */
  const open = { guildId: '', general: newId(), secret: newId() };
  /** A guild of alice and bob that has banned mod and admin; `ready` is created after the bans. */
  const banning = { guildId: '', general: newId(), ready: newId() };
  const clients: TestClient[] = [];
  const client = async (p: Person) => {
    const c = new TestClient(t.wsUrl, p.token);
    clients.push(c);
    return c.connect();
  };
  const history = async (channelId: string, who: Person) =>
    t.get(`/api/channels/${channelId}/messages?limit=100`, who.token);
  const code = async (c: TestClient, receipt: string) =>
    (await outcome(c, receipt)).rejection?.headers.code;

  beforeAll(async () => {
    [alice, bob, mod, admin] = await Promise.all([
      person('alice'),
      person('bob'),
      person('mod'),
      person('admin'),
    ]);
    await t.start();
    const first = guildCreated(alice, [bob], [{ id: open.general }, { id: open.secret }]);
    open.guildId = first.data.guild.id;
    const second = guildCreated(alice, [bob], [{ id: banning.general }]);
    banning.guildId = second.data.guild.id;
    const g = open.guildId;
    await t.publish(
      first,
      serverEvent('channel.overwrites-changed', g, {
        guildId: g,
        channelId: open.secret,
        overwrites: [{ id: g, type: 'role', allow: '0', deny: String(Permissions.VIEW_CHANNEL) }],
      }),
      second,
      ...[mod, admin].map((p) =>
        serverEvent('member.banned', banning.guildId, {
          guildId: banning.guildId,
          userId: p.id,
          reason: 'test',
        }),
      ),
      // Same guild, same partition: once this channel is projected, so are the bans.
      serverEvent('channel.created', banning.guildId, {
        channel: { ...second.data.channels![0]!, id: banning.ready, name: 'ready', position: 1 },
      }),
    );
    await until(
      async () =>
        (await history(open.secret, bob)).status === 404 &&
        (await history(banning.ready, alice)).status === 200,
      30_000,
      'the projection',
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.stop();
  }, 60_000);

  it('a non-member realm moderator or admin reads and moderates, but never sends', async () => {
    const a = await client(alice);
    const posted = await outcome(
      a,
      a.send(`/app/channels/${open.secret}/messages`, { content: 'delete me', nonce: 'r1' }),
    );
    const doomed = posted.receipt!.headers['message-id']!;
    const before = (await history(open.secret, alice)).body as ChatMessage[];

    for (const staff of [mod, admin]) {
      const s = await client(staff);
      for (const channelId of [open.general, open.secret]) {
        // Sending (and typing) is refused with a `forbidden` rejection; nothing is stored.
        const sent = await outcome(
          s,
          s.send(`/app/channels/${channelId}/messages`, {
            content: 'hi',
            nonce: `${staff.name}-${channelId}`,
          }),
        );
        expect(sent.receipt).toBeUndefined();
        expect(sent.rejection?.headers.code).toBe('forbidden');
        expect(sent.rejection?.body).toMatch(/send messages/);
        expect(await code(s, s.send(`/app/channels/${channelId}/typing`, ''))).toBe('forbidden');
        // Reading for moderation: history and live subscriptions, #secret included.
        expect((await history(channelId, staff)).status).toBe(200);
        expect(
          (await outcome(s, s.subscribe(`/topic/channels/${channelId}`, { 'after-seq': '0' })))
            .receipt,
        ).toBeDefined();
      }
      expect(
        (await outcome(s, s.subscribe(`/topic/guilds/${open.guildId}`))).receipt,
      ).toBeDefined();
      expect((await t.get(`/api/guilds/${open.guildId}/presence`, staff.token)).status).toBe(200);
      expect(s.client.connected).toBe(true);
    }
    // Nothing of theirs was stored.
    const after = (await history(open.secret, alice)).body as ChatMessage[];
    expect(after).toEqual(before);
    const general = (await history(open.general, alice)).body as ChatMessage[];
    expect(general.filter((m) => m.author.id === mod.id || m.author.id === admin.id)).toEqual([]);

    // The moderator deletes alice's message in the private channel.
    const m = await client(mod);
    const deleted = await outcome(
      m,
      m.send(`/app/channels/${open.secret}/messages/${doomed}/delete`, ''),
    );
    expect(deleted.receipt?.headers['message-id']).toBe(doomed);
    const gone = await until(async () => {
      const list = (await history(open.secret, alice)).body as ChatMessage[];
      return list.find((x) => x.id === doomed && x.deletedAt);
    });
    expect(gone.content).toBe('');
  });

  it('a guild ban ends every realm-role power there, moderator and admin alike', async () => {
    for (const staff of [mod, admin]) {
      const s = await client(staff);
      const refused = await history(banning.general, staff);
      expect({ who: staff.name, status: refused.status }).toEqual({ who: staff.name, status: 404 });
      expect(
        await code(s, s.subscribe(`/topic/channels/${banning.general}`, { 'after-seq': '0' })),
      ).toBe('not_found');
      expect(await code(s, s.subscribe(`/topic/guilds/${banning.guildId}`))).toBe('not_found');
      expect((await t.get(`/api/guilds/${banning.guildId}/presence`, staff.token)).status).toBe(
        404,
      );
      expect(
        await code(
          s,
          s.send(`/app/channels/${banning.general}/messages`, { content: 'x', nonce: 'b1' }),
        ),
      ).toBe('not_found');
      expect(
        await code(s, s.send(`/app/channels/${banning.general}/messages/${newId()}/delete`, '')),
      ).toBe('not_found');
      expect(s.client.connected).toBe(true);
    }

    // A ban also ends what a realm moderator had already subscribed to, at once.
    const m = await client(mod);
    const channelTopic = `/topic/channels/${open.general}`;
    expect((await outcome(m, m.subscribe(channelTopic))).receipt).toBeDefined();
    expect((await outcome(m, m.subscribe(`/topic/guilds/${open.guildId}`))).receipt).toBeDefined();
    await t.publish(
      serverEvent('member.banned', open.guildId, {
        guildId: open.guildId,
        userId: mod.id,
        reason: null,
      }),
    );
    const ended = await until(
      () =>
        m.notices.filter((n) => JSON.parse(n.body).type === 'subscription-ended').length >= 2 &&
        m.notices,
      15_000,
      'subscription-ended notices',
    );
    expect(ended.map((n) => JSON.parse(n.body).destination).sort()).toEqual(
      [channelTopic, `/topic/guilds/${open.guildId}`].sort(),
    );
    expect((await history(open.general, mod)).status).toBe(404);
  });
});
