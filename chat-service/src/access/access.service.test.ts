import {
  ALL_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  Permissions,
  REALM_ADMIN_OUTSIDER_PERMISSIONS,
  REALM_MODERATOR_PERMISSIONS,
  serverEvent,
} from '@echopulse/guild-contracts';
import type { DataSource } from 'typeorm';
import { pgClientConfig } from '../db/data-source';
import { Projector } from '../projection/projector';
import {
  channelSnapshot,
  dropSchema,
  eventually,
  guildCreated,
  memberSnapshot,
  migratedDataSource,
  principal,
  roleSnapshot,
  snowflake,
  testDatabaseOptions,
  testLogger,
  testUser,
} from '../testing/projection-fixtures';
import { AccessChangeListener } from './access-changes';
import type { AccessChange } from './channel-access';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';

const db = testDatabaseOptions();
let source: DataSource;
let projector: Projector;
let access: AccessService;

beforeAll(async () => {
  source = await migratedDataSource(db);
  projector = new Projector(source, testLogger());
  access = new AccessService(new AccessRepository(source));
});
afterAll(async () => {
  await dropSchema(source, db.schema);
  await source.destroy();
});

const { VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES, READ_MESSAGE_HISTORY } = Permissions;

/** A guild owned by alice with members bob and carol, #general (slowmode 10) and #secret. */
async function world() {
  const alice = testUser('alice');
  const bob = testUser('bob');
  const carol = testUser('carol');
  const g = guildCreated(alice, [bob, carol]);
  const { guildId } = g;
  await projector.apply(g.event);
  await projector.apply(
    serverEvent('channel.updated', guildId, { channel: { ...g.general, slowmodeSeconds: 10 } }),
  );
  const secret = channelSnapshot(guildId, {
    name: 'secret',
    position: 2,
    overwrites: [{ id: guildId, type: 'role', allow: '0', deny: String(VIEW_CHANNEL) }],
  });
  await projector.apply(serverEvent('channel.created', guildId, { channel: secret }));
  return { alice, bob, carol, guildId, general: g.general.id, category: g.category.id, secret };
}

describe('AccessService.channel', () => {
  it('gives the owner everything, without slowmode', async () => {
    const w = await world();
    expect(await access.channel(principal(w.alice), w.general)).toEqual({
      guildId: w.guildId,
      channelId: w.general,
      slowmodeSeconds: 0,
      permissions: ALL_PERMISSIONS,
    });
    expect((await access.channel(principal(w.alice), w.secret.id))?.permissions).toBe(
      ALL_PERMISSIONS,
    );
  });

  it("gives a member @everyone's permissions and the slowmode; an @everyone deny hides the channel", async () => {
    const w = await world();
    expect(await access.channel(principal(w.bob), w.general)).toEqual({
      guildId: w.guildId,
      channelId: w.general,
      slowmodeSeconds: 10,
      permissions: DEFAULT_EVERYONE_PERMISSIONS,
    });
    expect((await access.channel(principal(w.bob), w.secret.id))?.permissions).toBe(0n);
  });

  it('follows member overwrites, roles, role overwrites and role permission changes', async () => {
    const w = await world();
    const { guildId } = w;
    // A member overwrite lets carol in, and only carol.
    await projector.apply(
      serverEvent('channel.overwrites-changed', guildId, {
        guildId,
        channelId: w.secret.id,
        overwrites: [
          ...w.secret.overwrites,
          {
            id: w.carol.id,
            type: 'member',
            allow: String(VIEW_CHANNEL),
            deny: String(SEND_MESSAGES),
          },
        ],
      }),
    );
    expect((await access.channel(principal(w.carol), w.secret.id))?.permissions).toBe(
      DEFAULT_EVERYONE_PERMISSIONS & ~SEND_MESSAGES,
    );
    expect((await access.channel(principal(w.bob), w.secret.id))?.permissions).toBe(0n);

    // A role with a role overwrite lets bob in; MANAGE_MESSAGES on the role lifts the slowmode.
    const staff = roleSnapshot(guildId, { name: 'staff', permissions: '0' });
    await projector.apply(serverEvent('role.created', guildId, { role: staff }));
    await projector.apply(
      serverEvent('channel.overwrites-changed', guildId, {
        guildId,
        channelId: w.secret.id,
        overwrites: [
          ...w.secret.overwrites,
          { id: staff.id, type: 'role', allow: String(VIEW_CHANNEL), deny: '0' },
        ],
      }),
    );
    await projector.apply(
      serverEvent('member.roles-changed', guildId, {
        guildId,
        userId: w.bob.id,
        roleIds: [staff.id],
      }),
    );
    expect((await access.channel(principal(w.bob), w.secret.id))?.permissions).toBe(
      DEFAULT_EVERYONE_PERMISSIONS,
    );
    expect((await access.channel(principal(w.bob), w.general))?.slowmodeSeconds).toBe(10);
    await projector.apply(
      serverEvent('role.updated', guildId, {
        role: { ...staff, permissions: String(MANAGE_MESSAGES) },
      }),
    );
    expect(await access.channel(principal(w.bob), w.general)).toMatchObject({
      slowmodeSeconds: 0,
      permissions: DEFAULT_EVERYONE_PERMISSIONS | MANAGE_MESSAGES,
    });

    // Taking the role away (or deleting it) takes it all back.
    await projector.apply(
      serverEvent('member.roles-changed', guildId, { guildId, userId: w.bob.id, roleIds: [] }),
    );
    expect((await access.channel(principal(w.bob), w.secret.id))?.permissions).toBe(0n);
    await projector.apply(
      serverEvent('member.roles-changed', guildId, {
        guildId,
        userId: w.bob.id,
        roleIds: [staff.id],
      }),
    );
    await projector.apply(serverEvent('role.deleted', guildId, { guildId, roleId: staff.id }));
    expect((await access.channel(principal(w.bob), w.secret.id))?.permissions).toBe(0n);
    expect((await access.channel(principal(w.bob), w.general))?.slowmodeSeconds).toBe(10);
  });

  it('answers undefined for kicked, banned, left and never-joined users', async () => {
    const w = await world();
    const { guildId } = w;
    const dave = testUser('dave');
    expect(await access.channel(principal(dave), w.general)).toBeUndefined();
    await projector.apply(serverEvent('member.kicked', guildId, { guildId, userId: w.bob.id }));
    expect(await access.channel(principal(w.bob), w.general)).toBeUndefined();
    await projector.apply(
      serverEvent('member.banned', guildId, { guildId, userId: w.carol.id, reason: null }),
    );
    expect(await access.channel(principal(w.carol), w.general)).toBeUndefined();
    await projector.apply(
      serverEvent('member.joined', guildId, { member: memberSnapshot(guildId, dave) }),
    );
    expect(await access.channel(principal(dave), w.general)).toBeDefined();
    await projector.apply(serverEvent('member.left', guildId, { guildId, userId: dave.id }));
    expect(await access.channel(principal(dave), w.general)).toBeUndefined();
  });

  it('answers undefined for unknown channels, categories, malformed ids and deleted channels', async () => {
    const w = await world();
    expect(await access.channel(principal(w.alice), snowflake())).toBeUndefined();
    expect(await access.channel(principal(w.alice), w.category)).toBeUndefined();
    expect(await access.channel(principal(w.alice), 'not-an-id')).toBeUndefined();
    expect(await access.channel(principal(w.alice), '1; DROP TABLE guilds')).toBeUndefined();
    await projector.apply(
      serverEvent('channel.deleted', w.guildId, { guildId: w.guildId, channelId: w.general }),
    );
    expect(await access.channel(principal(w.alice), w.general)).toBeUndefined();
  });

  it('gives a non-member realm admin administration but not speech, a member one everything, a banned one nothing', async () => {
    const w = await world();
    const root = principal(testUser('admin'), ['admin']);
    expect(await access.channel(root, w.secret.id)).toEqual({
      guildId: w.guildId,
      channelId: w.secret.id,
      slowmodeSeconds: 0,
      permissions: REALM_ADMIN_OUTSIDER_PERMISSIONS,
    });
    expect(await access.canViewGuild(root, w.guildId)).toBe(true);
    expect(await access.canViewGuild(root, snowflake())).toBe(false);
    expect((await access.channel(principal(w.bob, ['admin']), w.secret.id))?.permissions).toBe(
      ALL_PERMISSIONS,
    );
    await projector.apply(
      serverEvent('member.banned', w.guildId, {
        guildId: w.guildId,
        userId: root.id,
        reason: null,
      }),
    );
    expect(await access.channel(root, w.general)).toBeUndefined();
    expect(await access.canViewGuild(root, w.guildId)).toBe(false);
  });

  it('gives realm moderator its extras, which overwrites cannot take away, as server-service does', async () => {
    const w = await world();
    const mod = testUser('mod');
    // Not a member: let in like server-service's loadGuildAccess, with the moderation bits only
    // (no @everyone: no SEND_MESSAGES, no CREATE_INSTANT_INVITE), in every channel.
    expect((await access.channel(principal(mod, ['moderator']), w.general))?.permissions).toBe(
      REALM_MODERATOR_PERMISSIONS,
    );
    expect((await access.channel(principal(mod, ['moderator']), w.secret.id))?.permissions).toBe(
      REALM_MODERATOR_PERMISSIONS,
    );
    // Overwrites neither take the realm promise away nor give a non-member anything more.
    await projector.apply(
      serverEvent('channel.overwrites-changed', w.guildId, {
        guildId: w.guildId,
        channelId: w.secret.id,
        overwrites: [
          ...w.secret.overwrites,
          {
            id: mod.id,
            type: 'member',
            allow: '0',
            deny: String(VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY),
          },
        ],
      }),
    );
    expect((await access.channel(principal(mod, ['moderator']), w.secret.id))?.permissions).toBe(
      REALM_MODERATOR_PERMISSIONS,
    );
    await projector.apply(
      serverEvent('channel.overwrites-changed', w.guildId, {
        guildId: w.guildId,
        channelId: w.general,
        overwrites: [
          { id: mod.id, type: 'member', allow: String(Permissions.SEND_MESSAGES), deny: '0' },
        ],
      }),
    );
    expect((await access.channel(principal(mod, ['moderator']), w.general))?.permissions).toBe(
      REALM_MODERATOR_PERMISSIONS,
    );
    // Without the realm role, the same user is no member: nothing.
    expect(await access.channel(principal(mod), w.general)).toBeUndefined();
    expect(await access.canViewGuild(principal(mod), w.guildId)).toBe(false);
    expect(await access.canViewGuild(principal(mod, ['moderator']), w.guildId)).toBe(true);
    // A member moderator gets the extras on top of their roles; a guild ban keeps a moderator out.
    const memberMod = principal(w.bob, ['moderator']);
    expect((await access.channel(memberMod, w.secret.id))?.permissions).toBe(
      DEFAULT_EVERYONE_PERMISSIONS | REALM_MODERATOR_PERMISSIONS,
    );
    expect((await access.channel(principal(w.bob), w.secret.id))?.permissions).toBe(0n);
    await projector.apply(
      serverEvent('member.banned', w.guildId, { guildId: w.guildId, userId: mod.id, reason: null }),
    );
    expect(await access.channel(principal(mod, ['moderator']), w.general)).toBeUndefined();
    expect(await access.canViewGuild(principal(mod, ['moderator']), w.guildId)).toBe(false);
  });
});

describe('AccessService membership lookups', () => {
  it('canViewGuild, guildsOf, membersOf and usernameOf follow the projection', async () => {
    const w = await world();
    const other = guildCreated(w.bob);
    await projector.apply(other.event);
    expect(await access.canViewGuild(principal(w.carol), w.guildId)).toBe(true);
    expect(await access.canViewGuild(principal(w.carol), other.guildId)).toBe(false);
    expect(await access.canViewGuild(principal(w.carol), 'x')).toBe(false);
    expect(await access.guildsOf(w.bob.id)).toEqual([w.guildId, other.guildId].sort());
    expect(await access.membersOf(w.guildId)).toEqual(
      [w.alice, w.bob, w.carol]
        .map((u) => ({ userId: u.id, username: u.username }))
        .sort((a, b) => a.username.localeCompare(b.username)),
    );
    expect(await access.membersOf(snowflake())).toEqual([]);
    expect(await access.usernameOf(w.carol.id)).toBe(w.carol.username);
    expect(await access.usernameOf(testUser('nobody').id)).toBeUndefined();
    await projector.apply(
      serverEvent('member.left', w.guildId, { guildId: w.guildId, userId: w.carol.id }),
    );
    expect(await access.guildsOf(w.carol.id)).toEqual([]);
    expect(await access.canViewGuild(principal(w.carol), w.guildId)).toBe(false);
  });
});

describe('AccessService cache', () => {
  let listener: AccessChangeListener;
  const heard: AccessChange[] = [];
  beforeAll(async () => {
    listener = new AccessChangeListener({ pg: pgClientConfig(db), logger: testLogger() });
    listener.subscribe((change) => heard.push(change));
    await listener.start();
  });
  afterAll(() => listener.stop());

  it('serves grants from the cache until an access change of the guild arrives', async () => {
    const w = await world();
    // world() changed #general (a NOTIFY): let it arrive first, so that only the kick below counts.
    await eventually(
      async () => heard.filter((c) => c.guildId === w.guildId),
      (list) => list.some((c) => c.cause === 'channel.updated'),
    );
    // A subscriber that re-checks access when told (as the gateway does), subscribed before the
    // cache exists: the cache is still invalidated before it runs.
    const late = {} as { service: AccessService };
    // (NOTIFY is per database: other suites' changes arrive too, hence the filter.)
    const recheck = new Promise<unknown>((resolve) => {
      const off = listener.subscribe((change) => {
        if (change.guildId !== w.guildId || change.cause !== 'member.kicked') return;
        off();
        resolve(late.service.channel(principal(w.bob), w.general));
      });
    });
    const cached = new AccessService(new AccessRepository(source), {
      changes: listener,
      cacheTtlMs: 60_000,
    });
    late.service = cached;
    expect((await cached.channel(principal(w.bob), w.general))?.slowmodeSeconds).toBe(10);
    // Behind the projector's back (no NOTIFY): the cache still answers the old grant.
    await source.query(`UPDATE channels SET slowmode_seconds = 99 WHERE id = $1`, [w.general]);
    expect((await cached.channel(principal(w.bob), w.general))?.slowmodeSeconds).toBe(10);
    await projector.apply(
      serverEvent('member.kicked', w.guildId, { guildId: w.guildId, userId: w.bob.id }),
    );
    expect(await recheck).toBeUndefined();
    expect((await cached.channel(principal(w.alice), w.general))?.guildId).toBe(w.guildId);
  });
});
