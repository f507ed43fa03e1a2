import {
  Permissions,
  SERVER_EVENT_TYPES,
  serverEvent,
  type ServerEvent,
} from '@echopulse/guild-contracts';
import type { DataSource } from 'typeorm';
import {
  channelSnapshot,
  dropSchema,
  guildCreated,
  memberSnapshot,
  migratedDataSource,
  projectionState,
  roleSnapshot,
  testDatabaseOptions,
  testLogger,
  testUser,
} from '../testing/projection-fixtures';
import { Projector } from './projector';

const db = testDatabaseOptions();
let source: DataSource;
let projector: Projector;

beforeAll(async () => {
  source = await migratedDataSource(db);
  projector = new Projector(source, testLogger());
});
afterAll(async () => {
  await dropSchema(source, db.schema);
  await source.destroy();
});

const rows = (sql: string, params: unknown[] = []) => source.query(sql, params);
/** An event again, as a redelivery under a new id would carry it (same content). */
const again = (event: ServerEvent) =>
  serverEvent(event.type, event.subject.slice(7), event.data as never) as ServerEvent;

/**
 * One guild's life through every event type, each step with what the tables must hold after it.
 * Returned as a list so the idempotence test can replay it.
 */
function guildLife() {
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map(testUser) as [
    ReturnType<typeof testUser>,
    ReturnType<typeof testUser>,
    ReturnType<typeof testUser>,
    ReturnType<typeof testUser>,
  ];
  const g = guildCreated(alice, [bob]);
  const { guildId } = g;
  const mods = roleSnapshot(guildId, {
    name: 'mods',
    permissions: String(Permissions.MANAGE_MESSAGES),
  });
  const secret = channelSnapshot(guildId, {
    name: 'secret',
    position: 2,
    overwrites: [
      { id: guildId, type: 'role', allow: '0', deny: String(Permissions.VIEW_CHANNEL) },
      { id: mods.id, type: 'role', allow: String(Permissions.VIEW_CHANNEL), deny: '0' },
    ],
  });
  const steps: { event: ServerEvent; check: () => Promise<void>; notifies: object[] }[] = [
    {
      event: g.event,
      notifies: [],
      check: async () => {
        expect(await rows(`SELECT name, owner_id FROM guilds WHERE id = $1`, [guildId])).toEqual([
          { name: g.event.data.guild.name, owner_id: alice.id },
        ]);
        expect(await rows(`SELECT id FROM roles WHERE guild_id = $1`, [guildId])).toEqual([
          { id: guildId },
        ]);
        expect(
          await rows(
            `SELECT user_id, username FROM members WHERE guild_id = $1 ORDER BY joined_at, username`,
            [guildId],
          ),
        ).toHaveLength(2);
        expect(
          await rows(
            `SELECT id, type, parent_id FROM channels WHERE guild_id = $1 ORDER BY position`,
            [guildId],
          ),
        ).toEqual([
          { id: g.category.id, type: 'category', parent_id: null },
          { id: g.general.id, type: 'text', parent_id: g.category.id },
        ]);
      },
    },
    {
      event: serverEvent('guild.updated', guildId, {
        guild: { ...g.event.data.guild, name: 'renamed', iconUrl: 'https://example.com/i.png' },
      }),
      notifies: [{ guildId, cause: 'guild.updated' }],
      check: async () => {
        expect(await rows(`SELECT name, icon_url FROM guilds WHERE id = $1`, [guildId])).toEqual([
          { name: 'renamed', icon_url: 'https://example.com/i.png' },
        ]);
      },
    },
    {
      event: serverEvent('role.created', guildId, { role: mods }),
      notifies: [],
      check: async () => {
        expect(await rows(`SELECT name, permissions FROM roles WHERE id = $1`, [mods.id])).toEqual([
          { name: 'mods', permissions: String(Permissions.MANAGE_MESSAGES) },
        ]);
      },
    },
    {
      event: serverEvent('role.updated', guildId, {
        role: { ...mods, name: 'moderators', color: 0xff0000, mentionable: true },
      }),
      notifies: [{ guildId, cause: 'role.updated' }],
      check: async () => {
        expect(
          await rows(`SELECT name, color, mentionable FROM roles WHERE id = $1`, [mods.id]),
        ).toEqual([{ name: 'moderators', color: 0xff0000, mentionable: true }]);
      },
    },
    {
      event: serverEvent('member.joined', guildId, { member: memberSnapshot(guildId, carol) }),
      notifies: [],
      check: async () => {
        expect(
          await rows(
            `SELECT username, display_name, nickname FROM members WHERE guild_id = $1 AND user_id = $2`,
            [guildId, carol.id],
          ),
        ).toEqual([
          { username: carol.username, display_name: carol.username.toUpperCase(), nickname: null },
        ]);
      },
    },
    {
      event: serverEvent('member.roles-changed', guildId, {
        guildId,
        userId: bob.id,
        roleIds: [mods.id],
      }),
      notifies: [{ guildId, userId: bob.id, cause: 'member.roles-changed' }],
      check: async () => {
        expect(await rows(`SELECT role_id FROM member_roles WHERE user_id = $1`, [bob.id])).toEqual(
          [{ role_id: mods.id }],
        );
      },
    },
    {
      event: serverEvent('member.updated', guildId, {
        member: { ...memberSnapshot(guildId, carol, [mods.id]), nickname: 'cc' },
      }),
      notifies: [{ guildId, userId: carol.id, cause: 'member.updated' }],
      check: async () => {
        expect(await rows(`SELECT nickname FROM members WHERE user_id = $1`, [carol.id])).toEqual([
          { nickname: 'cc' },
        ]);
        expect(
          await rows(`SELECT role_id FROM member_roles WHERE user_id = $1`, [carol.id]),
        ).toEqual([{ role_id: mods.id }]);
      },
    },
    {
      event: serverEvent('channel.created', guildId, { channel: secret }),
      notifies: [],
      check: async () => {
        expect(
          await rows(
            `SELECT type, target_id, allow, deny FROM channel_overwrites WHERE channel_id = $1 ORDER BY type, target_id`,
            [secret.id],
          ),
        ).toHaveLength(2);
      },
    },
    {
      event: serverEvent('channel.updated', guildId, {
        channel: { ...secret, slowmodeSeconds: 30, topic: 'hush', parentId: g.category.id },
      }),
      notifies: [{ guildId, channelId: secret.id, cause: 'channel.updated' }],
      check: async () => {
        expect(
          await rows(`SELECT slowmode_seconds, topic, parent_id FROM channels WHERE id = $1`, [
            secret.id,
          ]),
        ).toEqual([{ slowmode_seconds: 30, topic: 'hush', parent_id: g.category.id }]);
      },
    },
    {
      event: serverEvent('channel.overwrites-changed', guildId, {
        guildId,
        channelId: secret.id,
        overwrites: [
          ...secret.overwrites,
          { id: dave.id, type: 'member', allow: String(Permissions.VIEW_CHANNEL), deny: '0' },
        ],
      }),
      notifies: [{ guildId, channelId: secret.id, cause: 'channel.overwrites-changed' }],
      check: async () => {
        expect(
          await rows(
            `SELECT type, target_id FROM channel_overwrites WHERE channel_id = $1 ORDER BY type, target_id`,
            [secret.id],
          ),
        ).toEqual([
          { type: 'member', target_id: dave.id },
          ...[guildId, mods.id].sort().map((id) => ({ type: 'role', target_id: id })),
        ]);
      },
    },
    {
      event: serverEvent('role.deleted', guildId, { guildId, roleId: mods.id }),
      notifies: [{ guildId, cause: 'role.deleted' }],
      check: async () => {
        expect(await rows(`SELECT 1 FROM roles WHERE id = $1`, [mods.id])).toEqual([]);
        expect(await rows(`SELECT 1 FROM member_roles WHERE guild_id = $1`, [guildId])).toEqual([]);
        expect(
          await rows(
            `SELECT target_id FROM channel_overwrites WHERE channel_id = $1 ORDER BY target_id`,
            [secret.id],
          ),
        ).toEqual([dave.id, guildId].sort().map((id) => ({ target_id: id })));
      },
    },
    {
      event: serverEvent('member.left', guildId, { guildId, userId: carol.id }),
      notifies: [{ guildId, userId: carol.id, cause: 'member.left' }],
      check: async () => {
        expect(await rows(`SELECT 1 FROM members WHERE user_id = $1`, [carol.id])).toEqual([]);
      },
    },
    {
      event: serverEvent('member.kicked', guildId, { guildId, userId: bob.id }),
      notifies: [{ guildId, userId: bob.id, cause: 'member.kicked' }],
      check: async () => {
        expect(await rows(`SELECT 1 FROM members WHERE user_id = $1`, [bob.id])).toEqual([]);
      },
    },
    {
      event: serverEvent('member.joined', guildId, { member: memberSnapshot(guildId, dave) }),
      notifies: [],
      check: async () => {
        expect(await rows(`SELECT 1 FROM members WHERE user_id = $1`, [dave.id])).toHaveLength(1);
      },
    },
    {
      event: serverEvent('member.banned', guildId, { guildId, userId: dave.id, reason: 'spam' }),
      notifies: [{ guildId, userId: dave.id, cause: 'member.banned' }],
      check: async () => {
        expect(await rows(`SELECT 1 FROM members WHERE user_id = $1`, [dave.id])).toEqual([]);
        expect(await rows(`SELECT reason FROM bans WHERE user_id = $1`, [dave.id])).toEqual([
          { reason: 'spam' },
        ]);
      },
    },
    {
      event: serverEvent('member.unbanned', guildId, { guildId, userId: dave.id }),
      notifies: [],
      check: async () => {
        expect(await rows(`SELECT 1 FROM bans WHERE user_id = $1`, [dave.id])).toEqual([]);
      },
    },
    {
      event: serverEvent('channel.deleted', guildId, { guildId, channelId: g.category.id }),
      notifies: [{ guildId, channelId: g.category.id, cause: 'channel.deleted' }],
      check: async () => {
        // The category's channels move to the top level.
        expect(
          await rows(`SELECT id, parent_id FROM channels WHERE guild_id = $1 ORDER BY position`, [
            guildId,
          ]),
        ).toEqual([
          { id: g.general.id, parent_id: null },
          { id: secret.id, parent_id: null },
        ]);
      },
    },
  ];
  const deleted = {
    event: serverEvent('guild.deleted', guildId, { guildId }) as ServerEvent,
    notifies: [{ guildId, cause: 'guild.deleted' }],
    check: async () => {
      for (const table of ['guilds', 'roles', 'channels', 'members', 'bans']) {
        const column = table === 'guilds' ? 'id' : 'guild_id';
        expect(await rows(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [guildId])).toEqual([]);
      }
      expect(
        await rows(`SELECT 1 FROM channel_overwrites WHERE channel_id = $1`, [secret.id]),
      ).toEqual([]);
    },
  };
  return { guildId, steps, deleted };
}

describe('Projector', () => {
  it('applies every server event type, notifying where access may shrink', async () => {
    const { steps, deleted } = guildLife();
    const all = [...steps, deleted];
    expect(new Set(all.map((s) => s.event.type))).toEqual(new Set(SERVER_EVENT_TYPES));
    for (const step of all) {
      const result = await projector.apply(step.event);
      expect({ type: step.event.type, ...result }).toEqual({
        type: step.event.type,
        status: 'applied',
        changes: step.notifies,
      });
      await step.check();
    }
  });

  it('skips an event id it has processed, and replaying a whole history leaves the same rows', async () => {
    const { steps } = guildLife();
    for (const step of steps) await projector.apply(step.event);
    const state = await projectionState(source);
    const processed = (await rows(`SELECT count(*)::int AS n FROM processed_events`))[0].n;

    // Redelivery of the same records: recognised by id, nothing changes, nothing is notified.
    for (const step of steps) {
      expect(await projector.apply(step.event)).toEqual({ status: 'duplicate', changes: [] });
    }
    expect((await rows(`SELECT count(*)::int AS n FROM processed_events`))[0].n).toBe(processed);

    // The same history again under fresh ids (as if the ids were lost): every apply is an
    // upsert or a replacement by snapshot, so the tables end as they were.
    for (const step of steps)
      expect((await projector.apply(again(step.event))).status).toBe('applied');
    expect(await projectionState(source)).toEqual(state);
  });

  it('ignores events of a guild it does not hold, and does not resurrect a deleted one', async () => {
    const alice = testUser('alice');
    const g = guildCreated(alice);
    const joined = serverEvent('member.joined', g.guildId, {
      member: memberSnapshot(g.guildId, testUser('bob')),
    });
    expect(await projector.apply(joined)).toEqual({ status: 'ignored', changes: [] });
    const updated = serverEvent('guild.updated', g.guildId, { guild: g.event.data.guild });
    expect((await projector.apply(updated)).status).toBe('ignored');
    expect(await rows(`SELECT 1 FROM guilds WHERE id = $1`, [g.guildId])).toEqual([]);
    // Still recorded: a redelivery is a duplicate, not a second look.
    expect((await projector.apply(joined)).status).toBe('duplicate');
  });

  it('keeps member roles to roles the guild has, and no roles for a non-member', async () => {
    const alice = testUser('alice');
    const bob = testUser('bob');
    const g = guildCreated(alice, [bob]);
    await projector.apply(g.event);
    const unknownRole = roleSnapshot(g.guildId).id;
    await projector.apply(
      serverEvent('member.roles-changed', g.guildId, {
        guildId: g.guildId,
        userId: bob.id,
        roleIds: [unknownRole],
      }),
    );
    await projector.apply(
      serverEvent('member.roles-changed', g.guildId, {
        guildId: g.guildId,
        userId: testUser('stranger').id,
        roleIds: [g.guildId],
      }),
    );
    expect(await rows(`SELECT 1 FROM member_roles WHERE guild_id = $1`, [g.guildId])).toEqual([]);
  });

  it('rolls the processed mark back with a failed apply, so the event is applied on retry', async () => {
    const alice = testUser('alice');
    const g = guildCreated(alice);
    // A guild.created that the database refuses (a check constraint on new rows) must leave no trace.
    const bad = serverEvent('guild.created', g.guildId, {
      ...g.event.data,
      channels: [{ ...g.general, slowmodeSeconds: 10 }],
    });
    await source.query(
      `ALTER TABLE channels ADD CONSTRAINT test_no_slowmode CHECK (slowmode_seconds = 0) NOT VALID`,
    );
    try {
      await expect(projector.apply(bad)).rejects.toMatchObject({ code: '23514' });
    } finally {
      await source.query(`ALTER TABLE channels DROP CONSTRAINT test_no_slowmode`);
    }
    expect(await rows(`SELECT 1 FROM processed_events WHERE event_id = $1`, [bad.id])).toEqual([]);
    expect(await rows(`SELECT 1 FROM guilds WHERE id = $1`, [g.guildId])).toEqual([]);
    expect((await projector.apply(bad)).status).toBe('applied');
    expect(
      await rows(`SELECT slowmode_seconds FROM channels WHERE id = $1`, [g.general.id]),
    ).toEqual([{ slowmode_seconds: 10 }]);
  });
});
