import { loginAll, type User, type Json } from '../src/testing/api-client';
import { dbState, outboxEvents } from './support/db-state';
import { createGuild, uniqueName } from '../src/testing/factories';
import { startTestApp, type TestApp } from '../src/testing/test-app';

describe('guilds', () => {
  let app: TestApp;
  let alice: User, bob: User, carol: User, mod: User, admin: User;

  beforeAll(async () => {
    app = await startTestApp();
    ({ alice, bob, carol, mod, admin } = await loginAll(app.baseUrl));
  });
  afterAll(() => app?.close());

  it('creates a guild with @everyone, a category, "general" and the owner as member, and its events', async () => {
    const name = uniqueName();
    const res = await alice.api.post('/guilds', { name, iconUrl: 'https://example.com/i.png' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[1-9][0-9]+$/),
      name,
      ownerId: alice.id,
      iconUrl: 'https://example.com/i.png',
      createdAt: expect.any(String),
    });
    const id = res.body.id;
    const roles = await alice.api.get(`/guilds/${id}/roles`);
    expect(roles.body).toEqual([
      expect.objectContaining({ id, name: '@everyone', position: 0, permissions: '68673' }),
    ]);
    const channels = await alice.api.get(`/guilds/${id}/channels`);
    expect(channels.body.map((c: Json) => [c.type, c.name, c.position])).toEqual([
      ['category', 'Text Channels', 0],
      ['text', 'general', 1],
    ]);
    expect(channels.body[1].parentId).toBe(channels.body[0].id);
    const members = await alice.api.get(`/guilds/${id}/members`);
    expect(members.body).toEqual({
      items: [expect.objectContaining({ userId: alice.id, username: 'alice', roleIds: [] })],
      next: null,
    });
    const events = await outboxEvents(app.source, id);
    expect(events.map((e) => e.type)).toEqual(['guild.created']);
    expect(events[0]!.data.members[0].userId).toBe(alice.id);
    expect(events[0]!.data.channels).toHaveLength(2);
  });

  it("lists the caller's guilds with cursor pagination, all guilds for realm admins", async () => {
    const a = await createGuild(carol);
    const b = await createGuild(carol);
    const c = await createGuild(carol);
    const page1 = await carol.api.get('/guilds?limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((g: Json) => g.id)).toEqual([a.id, b.id]);
    expect(page1.body.next).toBe(b.id);
    const page2 = await carol.api.get(`/guilds?limit=2&after=${page1.body.next}`);
    expect(page2.body).toEqual({ items: [expect.objectContaining({ id: c.id })], next: null });
    const mine = await carol.api.get('/users/@me/guilds');
    expect(mine.body.items.map((g: Json) => g.id)).toEqual([a.id, b.id, c.id]);
    // bob is in none of them
    expect(
      (await bob.api.get('/users/@me/guilds')).body.items.map((g: Json) => g.id),
    ).not.toContain(a.id);
    // realm admin: GET /guilds is every guild, /users/@me/guilds only their own
    const all = await admin.api.get('/guilds?limit=100');
    expect(all.body.items.map((g: Json) => g.id)).toEqual(
      expect.arrayContaining([a.id, b.id, c.id]),
    );
    expect((await admin.api.get('/users/@me/guilds')).body.items).toEqual([]);
  });

  it('answers 404 to non-members for a guild and everything in it; realm admin and moderator see it', async () => {
    const g = await createGuild(alice);
    for (const path of [
      `/guilds/${g.id}`,
      `/guilds/${g.id}/channels`,
      `/guilds/${g.id}/members`,
      `/guilds/${g.id}/roles`,
      `/channels/${g.generalId}`,
    ]) {
      const res = await bob.api.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await bob.api.patch(`/guilds/${g.id}`, { name: 'taken over' })).status).toBe(404);
    expect((await admin.api.get(`/guilds/${g.id}`)).status).toBe(200);
    expect((await mod.api.get(`/guilds/${g.id}`)).status).toBe(200);
    expect((await alice.api.get('/guilds/999999999999')).status).toBe(404);
  });

  it('renames with MANAGE_GUILD only, and emits guild.updated', async () => {
    const g = await createGuild(alice, [bob]);
    const denied = await bob.api.patch(`/guilds/${g.id}`, { name: 'Bob was here' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('missing_permission');
    const ok = await alice.api.patch(`/guilds/${g.id}`, { name: 'Renamed', iconUrl: null });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Renamed', iconUrl: null });
    expect((await outboxEvents(app.source, g.id)).map((e) => e.type)).toContain('guild.updated');
    // realm admin acts as owner anywhere
    expect((await admin.api.patch(`/guilds/${g.id}`, { name: 'Admin edit' })).status).toBe(200);
  });

  it('transfers ownership to a member only, by the owner only', async () => {
    const g = await createGuild(alice, [bob]);
    expect((await bob.api.patch(`/guilds/${g.id}`, { ownerId: bob.id })).status).toBe(403);
    const notMember = await alice.api.patch(`/guilds/${g.id}`, { ownerId: carol.id });
    expect(notMember.status).toBe(422);
    expect(notMember.body.code).toBe('new_owner_not_member');
    const moved = await alice.api.patch(`/guilds/${g.id}`, { ownerId: bob.id });
    expect(moved.status).toBe(200);
    expect(moved.body.ownerId).toBe(bob.id);
    // the former owner is an ordinary member now and may leave
    expect((await alice.api.delete(`/guilds/${g.id}/members/@me`)).status).toBe(204);
  });

  it('deletes a guild with everything in it (owner or realm admin only) and emits guild.deleted', async () => {
    const g = await createGuild(alice, [bob]);
    await alice.api.post(`/guilds/${g.id}/invites`, {});
    await alice.api
      .put(`/guilds/${g.id}/bans/${carol.id}`, { reason: 'test' })
      .catch(() => undefined);
    expect((await bob.api.delete(`/guilds/${g.id}`)).status).toBe(403);
    expect((await mod.api.delete(`/guilds/${g.id}`)).status).toBe(403);
    expect((await alice.api.delete(`/guilds/${g.id}`)).status).toBe(204);
    expect((await alice.api.get(`/guilds/${g.id}`)).status).toBe(404);
    for (const table of ['roles', 'channels', 'members', 'invites', 'bans']) {
      const [row] = await app.source.query(
        `SELECT count(*)::int AS n FROM ${table} WHERE guild_id = $1`,
        [g.id],
      );
      expect([table, row.n]).toEqual([table, 0]);
    }
    const events = await outboxEvents(app.source, g.id);
    expect(events[events.length - 1]).toEqual({ type: 'guild.deleted', data: { guildId: g.id } });
    const other = await createGuild(bob);
    expect((await admin.api.delete(`/guilds/${other.id}`)).status).toBe(204);
  });

  it('refuses invalid guilds with field details and writes nothing', async () => {
    const before = await dbState(app.source);
    for (const body of [
      { name: 'x' },
      { name: 'y'.repeat(101) },
      { name: '   ' },
      { name: 'ok name', iconUrl: 'javascript:alert(1)' },
      { name: 'ok name', owner: 'me' },
      {},
    ]) {
      const res = await alice.api.post('/guilds', body);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.body.code).toBe('validation_failed');
      expect(Object.keys(res.body.errors).length).toBeGreaterThan(0);
    }
    expect(await dbState(app.source)).toEqual(before);
  });
});
