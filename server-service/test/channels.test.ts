import { loginAll, type User, type Json } from '../src/testing/api-client';
import { dbState, outboxEvents } from './support/db-state';
import { createGuild, grantRole } from '../src/testing/factories';
import { startTestApp, type TestApp } from '../src/testing/test-app';

describe('channels and permission overwrites', () => {
  let app: TestApp;
  let alice: User, bob: User, carol: User, admin: User;

  beforeAll(async () => {
    app = await startTestApp();
    ({ alice, bob, carol, admin } = await loginAll(app.baseUrl));
  });
  afterAll(() => app?.close());

  it('creates, reads, updates and deletes channels with MANAGE_CHANNELS, with events', async () => {
    const g = await createGuild(alice, [bob]);
    const denied = await bob.api.post(`/guilds/${g.id}/channels`, { name: 'bobs' });
    expect(denied.status).toBe(403);
    const created = await alice.api.post(`/guilds/${g.id}/channels`, {
      name: 'random',
      parentId: g.categoryId,
      topic: 'anything',
      slowmodeSeconds: 10,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'text',
      position: 2,
      parentId: g.categoryId,
      slowmodeSeconds: 10,
    });
    const id = created.body.id;
    expect((await bob.api.get(`/channels/${id}`)).body.name).toBe('random');
    const moved = await alice.api.patch(`/channels/${id}`, {
      position: 0,
      topic: null,
      name: 'first',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ position: 0, topic: null, name: 'first' });
    const list = await alice.api.get(`/guilds/${g.id}/channels`);
    expect(list.body.map((c: Json) => [c.name, c.position])).toEqual([
      ['first', 0],
      ['Text Channels', 1],
      ['general', 2],
    ]);
    expect((await bob.api.patch(`/channels/${id}`, { name: 'nope' })).status).toBe(403);
    expect((await bob.api.delete(`/channels/${id}`)).status).toBe(403);
    expect((await alice.api.delete(`/channels/${id}`)).status).toBe(204);
    expect((await alice.api.get(`/channels/${id}`)).status).toBe(404);
    const types = (await outboxEvents(app.source, g.id)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['channel.created', 'channel.updated', 'channel.deleted']),
    );
  });

  it('keeps positions unique when channels are created concurrently', async () => {
    const g = await createGuild(alice);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        alice.api.post(`/guilds/${g.id}/channels`, { name: `c${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const positions = (await alice.api.get(`/guilds/${g.id}/channels`)).body.map(
      (c: Json) => c.position,
    );
    expect(new Set(positions).size).toBe(10);
  });

  it('refuses a parent that is not a category of the guild (422) and categories inside categories', async () => {
    const g = await createGuild(alice);
    const other = await createGuild(alice);
    const before = await dbState(app.source);
    const wrongGuild = await alice.api.post(`/guilds/${g.id}/channels`, {
      name: 'x',
      parentId: other.categoryId,
    });
    expect(wrongGuild.status).toBe(422);
    expect(wrongGuild.body.code).toBe('invalid_parent');
    const textParent = await alice.api.post(`/guilds/${g.id}/channels`, {
      name: 'x',
      parentId: g.generalId,
    });
    expect(textParent.status).toBe(422);
    const nested = await alice.api.post(`/guilds/${g.id}/channels`, {
      name: 'x',
      type: 'category',
      parentId: g.categoryId,
    });
    expect(nested.status).toBe(422);
    const slow = await alice.api.post(`/guilds/${g.id}/channels`, {
      name: 'x',
      slowmodeSeconds: 21601,
    });
    expect(slow.status).toBe(400);
    expect(slow.body.errors).toHaveProperty(['body.slowmodeSeconds']);
    const topic = await alice.api.patch(`/channels/${g.generalId}`, { topic: 't'.repeat(1025) });
    expect(topic.status).toBe(400);
    expect(await dbState(app.source)).toEqual(before);
  });

  it('deleting a category moves its channels to the top level', async () => {
    const g = await createGuild(alice);
    expect((await alice.api.delete(`/channels/${g.categoryId}`)).status).toBe(204);
    expect((await alice.api.get(`/channels/${g.generalId}`)).body.parentId).toBeNull();
  });

  it("applies overwrites by Discord's algorithm: hidden channels are 404, permissions/@me says why", async () => {
    const g = await createGuild(alice, [bob, carol]);
    const mine = await bob.api.get(`/channels/${g.generalId}/permissions/@me`);
    expect(mine.body).toEqual({
      channelId: g.generalId,
      permissions: '68673',
      names: [
        'CREATE_INSTANT_INVITE',
        'ADD_REACTIONS',
        'VIEW_CHANNEL',
        'SEND_MESSAGES',
        'READ_MESSAGE_HISTORY',
      ],
    });
    // hide #general from @everyone, then let bob (member overwrite) see it again without sending
    const hide = await alice.api.put(`/channels/${g.generalId}/permissions/${g.id}`, {
      type: 'role',
      deny: String(1 << 10),
    });
    expect(hide.status).toBe(200);
    expect(hide.body.overwrites).toEqual([{ id: g.id, type: 'role', allow: '0', deny: '1024' }]);
    expect((await carol.api.get(`/channels/${g.generalId}`)).status).toBe(404);
    expect(
      (await carol.api.get(`/guilds/${g.id}/channels`)).body.map((c: Json) => c.id),
    ).not.toContain(g.generalId);
    const allowBob = await alice.api.put(`/channels/${g.generalId}/permissions/${bob.id}`, {
      type: 'member',
      allow: '1024',
      deny: '2048',
    });
    expect(allowBob.status).toBe(200);
    const bobs = await bob.api.get(`/channels/${g.generalId}/permissions/@me`);
    expect(bobs.body.names).toEqual([
      'CREATE_INSTANT_INVITE',
      'ADD_REACTIONS',
      'VIEW_CHANNEL',
      'READ_MESSAGE_HISTORY',
    ]);
    // owner and realm admin bypass overwrites
    expect((await alice.api.get(`/channels/${g.generalId}/permissions/@me`)).body.names).toContain(
      'ADMINISTRATOR',
    );
    expect((await admin.api.get(`/channels/${g.generalId}`)).status).toBe(200);
    // removing the overwrite
    expect((await alice.api.delete(`/channels/${g.generalId}/permissions/${g.id}`)).status).toBe(
      204,
    );
    expect((await alice.api.delete(`/channels/${g.generalId}/permissions/${g.id}`)).status).toBe(
      404,
    );
    expect((await carol.api.get(`/channels/${g.generalId}`)).status).toBe(200);
    const types = (await outboxEvents(app.source, g.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'channel.overwrites-changed')).toHaveLength(3);
  });

  it("refuses overwrites without MANAGE_ROLES, beyond one's own permissions, or with bad bits", async () => {
    const g = await createGuild(alice, [bob, carol]);
    // bob may manage roles but does not hold KICK_MEMBERS
    await grantRole(alice, g.id, bob, { permissions: String((1n << 28n) | 1024n) });
    const before = await dbState(app.source);
    expect(
      (
        await carol.api.put(`/channels/${g.generalId}/permissions/${g.id}`, {
          type: 'role',
          deny: '1024',
        })
      ).status,
    ).toBe(403);
    const beyond = await bob.api.put(`/channels/${g.generalId}/permissions/${carol.id}`, {
      type: 'member',
      allow: '2',
    });
    expect(beyond.status).toBe(422);
    expect(beyond.body.code).toBe('permissions_not_held');
    const overlap = await alice.api.put(`/channels/${g.generalId}/permissions/${g.id}`, {
      type: 'role',
      allow: '1024',
      deny: '1024',
    });
    expect(overlap.status).toBe(422);
    const unknownBits = await alice.api.put(`/channels/${g.generalId}/permissions/${g.id}`, {
      type: 'role',
      allow: String(1n << 40n),
    });
    expect(unknownBits.status).toBe(400);
    expect(unknownBits.body.code).toBe('invalid_permissions');
    const stranger = await alice.api.put(`/channels/${g.generalId}/permissions/${admin.id}`, {
      type: 'member',
    });
    expect(stranger.status).toBe(422);
    expect(stranger.body.code).toBe('unknown_overwrite_target');
    expect(await dbState(app.source)).toEqual(before);
  });
});
