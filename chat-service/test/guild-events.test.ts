import {
  DEFAULT_EVERYONE_PERMISSIONS,
  Permissions,
  serverEvent,
  type ChannelSnapshot,
  type MemberSnapshot,
  type RoleSnapshot,
  type ServerEvent,
} from '@echopulse/guild-contracts';
import { validate } from './support/asyncapi';
import {
  newId,
  outcome,
  person,
  TestClient,
  TestService,
  until,
  type Person,
} from './support/harness';

// Guild events on /user/queue/guild-events, end to end through two chat-service instances that
// share one database schema, Kafka topics and Redis prefix (as in production): server events go
// into the real Kafka topic; one instance's projection applies each, and users connected to either
// instance get what they may see. Users log in with real Keycloak tokens.

const QUEUE = '/user/queue/guild-events';

interface Frame {
  type: string;
  guildId?: string;
  data: Record<string, unknown>;
  seq?: string;
}

describe('guild events over STOMP, two instances', () => {
  const a = new TestService({ RATE_LIMIT_MESSAGES: '1000' });
  let b: TestService;
  let alice: Person, bob: Person, carol: Person, mod: Person;
  const clients = new Map<string, TestClient>();
  const frames = (p: Person) =>
    (clients.get(p.name)?.of(QUEUE) ?? []).map((m) => JSON.parse(m.body) as Frame);
  const events = (p: Person) => frames(p).filter((f) => f.type !== 'READY');
  const types = (p: Person) => events(p).map((f) => f.type);

  const guildId = newId();
  const now = new Date().toISOString();
  const role = (fields: Partial<RoleSnapshot>): RoleSnapshot => ({
    id: newId(),
    guildId,
    name: 'role',
    color: 0,
    position: 1,
    permissions: '0',
    mentionable: false,
    ...fields,
  });
  const channel = (fields: Partial<ChannelSnapshot>): ChannelSnapshot => ({
    id: newId(),
    guildId,
    type: 'text',
    name: 'general',
    parentId: null,
    position: 0,
    topic: null,
    slowmodeSeconds: 0,
    overwrites: [],
    ...fields,
  });
  const member = (p: { id: string; name: string }, roleIds: string[] = []): MemberSnapshot => ({
    guildId,
    userId: p.id,
    username: p.name,
    displayName: p.name.toUpperCase(),
    nickname: null,
    roleIds,
    joinedAt: now,
  });
  const everyone = role({
    id: guildId,
    name: '@everyone',
    position: 0,
    permissions: DEFAULT_EVERYONE_PERMISSIONS.toString(),
  });
  const banners = role({ name: 'banners', permissions: String(Permissions.BAN_MEMBERS) });
  const general = channel({ name: 'general' });
  const hiddenVia = (allowRole: string) => [
    { id: guildId, type: 'role' as const, allow: '0', deny: String(Permissions.VIEW_CHANNEL) },
    { id: allowRole, type: 'role' as const, allow: String(Permissions.VIEW_CHANNEL), deny: '0' },
  ];
  const secret = channel({ name: 'secret', position: 1, overwrites: hiddenVia(banners.id) });
  const zed = { id: `zed-${newId()}`, name: 'zed' };

  /** Publishes one event and waits until each named person has this many events in all. */
  const step = async (event: ServerEvent, counts: Partial<Record<Person['name'], number>>) => {
    await a.publish(event);
    await until(
      () =>
        Object.entries(counts).every(
          ([name, n]) => (clients.get(name)?.of(QUEUE).length ?? 0) - 1 >= n!,
        ),
      15_000,
      `${event.type}: ${JSON.stringify(counts)}; got ${[...clients].map(([n, c]) => `${n}=${c.of(QUEUE).length - 1}`)}`,
    );
  };

  beforeAll(async () => {
    [alice, bob, carol, mod] = await Promise.all([
      person('alice'),
      person('bob'),
      person('carol'),
      person('mod'),
    ]);
    // The second instance shares everything with the first but its port and instance id.
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
    for (const [p, service] of [
      [alice, a],
      [bob, b],
      [carol, b],
      [mod, a],
    ] as const) {
      const c = await new TestClient(service.wsUrl, p.token).connect();
      clients.set(p.name, c);
      expect((await outcome(c, c.subscribe(QUEUE))).receipt).toBeDefined();
      await until(() => c.of(QUEUE).length === 1, 5000, `READY for ${p.name}`);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...clients.values()].map((c) => c.close()));
    await b?.service?.stop();
    await a.stop();
  }, 60_000);

  it('answers SUBSCRIBE with READY: the guilds and their latest seq', () => {
    expect(frames(alice)[0]).toEqual({ type: 'READY', data: { guilds: [] } });
  });

  it('refuses SUBSCRIBE to another user’s guild events', async () => {
    const c = clients.get('bob')!;
    const refused = await outcome(c, c.subscribe(`/user/${alice.id}/queue/guild-events`));
    expect(refused.rejection?.headers.code).toBe('forbidden');
  });

  it('tells each member what they may see, in order, on both instances', async () => {
    // 1 the guild: alice owns it, carol holds "banners", which alone sees #secret
    await step(
      serverEvent('guild.created', guildId, {
        guild: { id: guildId, name: 'g', ownerId: alice.id, iconUrl: null, createdAt: now },
        roles: [everyone, banners],
        members: [member(alice), member(bob), member(carol, [banners.id])],
        channels: [general, secret],
      }),
      { alice: 1, bob: 1, carol: 1 },
    );
    const created = (p: Person) => events(p)[0]!.data as { channels: { name: string }[] };
    expect(created(alice).channels.map((c) => c.name)).toEqual(['general', 'secret']);
    expect(created(bob).channels.map((c) => c.name)).toEqual(['general']);
    expect(created(carol).channels.map((c) => c.name)).toEqual(['general', 'secret']);
    expect(events(bob)[0]).toMatchObject({ type: 'GUILD_CREATE', guildId, data: { id: guildId } });

    // 2 a new channel, 3 a rename: everyone; 4 #secret's topic: not bob
    const news = channel({ name: 'news', position: 2 });
    await step(serverEvent('channel.created', guildId, { channel: news }), {
      alice: 2,
      bob: 2,
      carol: 2,
    });
    await step(
      serverEvent('channel.updated', guildId, { channel: { ...general, name: 'lobby' } }),
      { alice: 3, bob: 3, carol: 3 },
    );
    await step(serverEvent('channel.updated', guildId, { channel: { ...secret, topic: 'psst' } }), {
      alice: 4,
      carol: 4,
    });
    // 5 an overwrite hides #news from bob: CHANNEL_DELETE to him, CHANNEL_UPDATE to the others
    const denyBob = {
      id: bob.id,
      type: 'member' as const,
      allow: '0',
      deny: String(Permissions.VIEW_CHANNEL),
    };
    await step(
      serverEvent('channel.overwrites-changed', guildId, {
        guildId,
        channelId: news.id,
        overwrites: [denyBob],
      }),
      { alice: 5, bob: 4, carol: 5 },
    );
    expect(events(bob)[3]).toMatchObject({ type: 'CHANNEL_DELETE', data: { id: news.id } });
    expect(events(alice)[4]).toMatchObject({ type: 'CHANNEL_UPDATE', data: { id: news.id } });

    // 6 a role; 7 #secret opens to it (bob still blind); 8 bob gets it: CHANNEL_CREATE #secret
    const readers = role({ name: 'readers', position: 2 });
    await step(serverEvent('role.created', guildId, { role: readers }), {
      alice: 6,
      bob: 5,
      carol: 6,
    });
    const opened = [
      ...hiddenVia(banners.id),
      { id: readers.id, type: 'role' as const, allow: String(Permissions.VIEW_CHANNEL), deny: '0' },
    ];
    await step(
      serverEvent('channel.overwrites-changed', guildId, {
        guildId,
        channelId: secret.id,
        overwrites: opened,
      }),
      { alice: 7, carol: 7 },
    );
    await step(
      serverEvent('member.roles-changed', guildId, {
        guildId,
        userId: bob.id,
        roleIds: [readers.id],
      }),
      { alice: 8, bob: 7, carol: 8 },
    );
    expect(
      events(bob)
        .slice(5)
        .map((f) => [f.type, f.data.id ?? f.data.userId]),
    ).toEqual([
      ['CHANNEL_CREATE', secret.id],
      ['GUILD_MEMBER_UPDATE', bob.id],
    ]);
    // overwrites in the projection's order: by type, then target id
    const byTarget = (o: { type: string; id: string }[]) =>
      [...o].sort((x, y) => `${x.type}/${x.id}`.localeCompare(`${y.type}/${y.id}`));
    expect(events(bob)[5]!.data).toMatchObject({ topic: 'psst', overwrites: byTarget(opened) });

    // 9 a role renamed, 10 the guild renamed: everyone
    await step(serverEvent('role.updated', guildId, { role: { ...readers, name: 'Readers' } }), {
      alice: 9,
      bob: 8,
      carol: 9,
    });
    await step(
      serverEvent('guild.updated', guildId, {
        guild: { id: guildId, name: 'renamed', ownerId: alice.id, iconUrl: null, createdAt: now },
      }),
      { alice: 10, bob: 9, carol: 10 },
    );

    // 11 mod joins: GUILD_CREATE to mod (realm moderator: #secret and #news too), ADD to others
    await step(serverEvent('member.joined', guildId, { member: member(mod) }), {
      alice: 11,
      bob: 10,
      carol: 11,
      mod: 1,
    });
    const modCreate = events(mod)[0]!;
    expect(modCreate.type).toBe('GUILD_CREATE');
    expect((modCreate.data.channels as { name: string }[]).map((c) => c.name)).toEqual([
      'lobby',
      'secret',
      'news',
    ]);
    expect((modCreate.data.members as MemberSnapshot[]).map((m) => m.username).sort()).toEqual([
      'alice',
      'bob',
      'carol',
      'mod',
    ]);
    // 12 mod's nickname; 13 mod kicked: GUILD_DELETE with the reason to mod, REMOVE to the others
    await step(
      serverEvent('member.updated', guildId, { member: { ...member(mod), nickname: 'Sheriff' } }),
      { alice: 12, bob: 11, carol: 12, mod: 2 },
    );
    await step(serverEvent('member.kicked', guildId, { guildId, userId: mod.id }), {
      alice: 13,
      bob: 12,
      carol: 13,
      mod: 3,
    });
    expect(events(mod).map((f) => f.type)).toEqual([
      'GUILD_CREATE',
      'GUILD_MEMBER_UPDATE',
      'GUILD_DELETE',
    ]);
    expect(events(mod)[2]!.data).toEqual({ id: guildId, reason: 'kicked' });
    expect(events(bob)[11]).toMatchObject({
      type: 'GUILD_MEMBER_REMOVE',
      data: { userId: mod.id },
    });

    // 14-16 zed joins and is banned, then unbanned: bans only to BAN_MEMBERS (alice, carol)
    await step(serverEvent('member.joined', guildId, { member: member(zed) }), {
      alice: 14,
      bob: 13,
      carol: 14,
    });
    await step(serverEvent('member.banned', guildId, { guildId, userId: zed.id, reason: 'spam' }), {
      alice: 16,
      bob: 14,
      carol: 16,
    });
    expect(
      events(carol)
        .slice(14)
        .map((f) => f.type),
    ).toEqual(['GUILD_MEMBER_REMOVE', 'GUILD_BAN_ADD']);
    expect(events(carol)[15]!.data).toEqual({
      guildId,
      userId: zed.id,
      username: 'zed',
      displayName: 'ZED',
      reason: 'spam',
    });
    await step(serverEvent('member.unbanned', guildId, { guildId, userId: zed.id }), {
      alice: 17,
      carol: 17,
    });

    // 17 the role goes: bob loses #secret; 18 #news goes: not to bob, who no longer sees it
    await step(serverEvent('role.deleted', guildId, { guildId, roleId: readers.id }), {
      alice: 20,
      bob: 17,
      carol: 20,
    });
    expect(
      events(bob)
        .slice(14)
        .map((f) => f.type),
    ).toEqual(['CHANNEL_DELETE', 'GUILD_ROLE_DELETE', 'GUILD_MEMBER_UPDATE']);
    await step(serverEvent('channel.deleted', guildId, { guildId, channelId: news.id }), {
      alice: 21,
      carol: 21,
    });
    // 19 carol leaves; 20 the guild is deleted
    await step(serverEvent('member.left', guildId, { guildId, userId: carol.id }), {
      alice: 22,
      bob: 18,
      carol: 22,
    });
    await step(serverEvent('guild.deleted', guildId, { guildId }), { alice: 23, bob: 19 });

    expect(types(alice)).toEqual([
      'GUILD_CREATE',
      'CHANNEL_CREATE',
      'CHANNEL_UPDATE',
      'CHANNEL_UPDATE',
      'CHANNEL_UPDATE',
      'GUILD_ROLE_CREATE',
      'CHANNEL_UPDATE',
      'GUILD_MEMBER_UPDATE',
      'GUILD_ROLE_UPDATE',
      'GUILD_UPDATE',
      'GUILD_MEMBER_ADD',
      'GUILD_MEMBER_UPDATE',
      'GUILD_MEMBER_REMOVE',
      'GUILD_MEMBER_ADD',
      'GUILD_MEMBER_REMOVE',
      'GUILD_BAN_ADD',
      'GUILD_BAN_REMOVE',
      'CHANNEL_UPDATE',
      'GUILD_ROLE_DELETE',
      'GUILD_MEMBER_UPDATE',
      'CHANNEL_DELETE',
      'GUILD_MEMBER_REMOVE',
      'GUILD_DELETE',
    ]);
    expect(types(bob)).toEqual([
      'GUILD_CREATE',
      'CHANNEL_CREATE',
      'CHANNEL_UPDATE',
      'CHANNEL_DELETE',
      'GUILD_ROLE_CREATE',
      'CHANNEL_CREATE',
      'GUILD_MEMBER_UPDATE',
      'GUILD_ROLE_UPDATE',
      'GUILD_UPDATE',
      'GUILD_MEMBER_ADD',
      'GUILD_MEMBER_UPDATE',
      'GUILD_MEMBER_REMOVE',
      'GUILD_MEMBER_ADD',
      'GUILD_MEMBER_REMOVE',
      'CHANNEL_DELETE',
      'GUILD_ROLE_DELETE',
      'GUILD_MEMBER_UPDATE',
      'GUILD_MEMBER_REMOVE',
      'GUILD_DELETE',
    ]);
    expect(events(carol).at(-1)).toEqual({
      type: 'GUILD_DELETE',
      guildId,
      data: { id: guildId, reason: 'left' },
      seq: expect.stringMatching(/^\d+$/),
    });
    expect(events(alice).at(-1)!.data).toEqual({ id: guildId, reason: 'deleted' });
    // never a frame about #secret to bob before he could see it, nor after
    const aboutSecret = events(bob)
      .filter((f) => f.data.id === secret.id)
      .map((f) => f.type);
    expect(aboutSecret).toEqual(['CHANNEL_CREATE', 'CHANNEL_DELETE']);
    // one guild's events in the order server-service committed them: seq never goes back
    for (const p of [alice, bob, carol, mod]) {
      const seqs = events(p).map((f) => BigInt(f.seq!));
      expect(seqs).toEqual([...seqs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    }
  });

  it('READY after a reconnect carries each guild’s latest seq (to tell a gap)', async () => {
    const g2 = newId();
    await a.publish(
      serverEvent('guild.created', g2, {
        guild: { id: g2, name: 'g2', ownerId: alice.id, iconUrl: null, createdAt: now },
        roles: [{ ...everyone, id: g2, guildId: g2 }],
        members: [
          { ...member(alice), guildId: g2 },
          { ...member(bob), guildId: g2 },
        ],
        channels: [],
      }),
    );
    await until(() => types(bob).length === 20, 15_000, 'GUILD_CREATE of g2');
    const c = await new TestClient(a.wsUrl, bob.token).connect();
    c.subscribe(QUEUE);
    const ready = await until(() => c.of(QUEUE)[0], 5000, 'READY');
    expect(JSON.parse(ready.body)).toEqual({
      type: 'READY',
      data: { guilds: [{ id: g2, seq: events(bob).at(-1)!.seq }] },
    });
    await c.close();
  });

  it('sends only what openapi/chat.asyncapi.yaml describes, every type seen', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const c of clients.values()) {
      for (const m of c.of(QUEUE)) {
        const body = JSON.parse(m.body) as Frame;
        seen.add(body.type);
        problems.push(...validate(body.type === 'READY' ? 'guildReady' : 'guildEvent', body));
        expect(m.headers.event).toBe(body.type);
      }
    }
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual(
      [
        'READY',
        'GUILD_CREATE',
        'GUILD_UPDATE',
        'GUILD_DELETE',
        'CHANNEL_CREATE',
        'CHANNEL_UPDATE',
        'CHANNEL_DELETE',
        'GUILD_ROLE_CREATE',
        'GUILD_ROLE_UPDATE',
        'GUILD_ROLE_DELETE',
        'GUILD_MEMBER_ADD',
        'GUILD_MEMBER_UPDATE',
        'GUILD_MEMBER_REMOVE',
        'GUILD_BAN_ADD',
        'GUILD_BAN_REMOVE',
      ].sort(),
    );
  });
});
