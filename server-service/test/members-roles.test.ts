import { loginAll, type User, type Json } from '../src/testing/api-client';
import { dbState, outboxEvents } from './support/db-state';
import { createGuild, grantRole } from '../src/testing/factories';
import { startTestApp, type TestApp } from '../src/testing/test-app';

const MANAGE_ROLES = 1n << 28n;
const KICK = 1n << 1n;
const ADMINISTRATOR = 1n << 3n;
const VIEW_CHANNEL = 1n << 10n;

describe('members and roles', () => {
  let app: TestApp;
  let alice: User, bob: User, carol: User, mod: User, admin: User;

  beforeAll(async () => {
    app = await startTestApp();
    ({ alice, bob, carol, mod, admin } = await loginAll(app.baseUrl));
  });
  afterAll(() => app?.close());

  it('lists members with cursor pagination and reads one, @me included', async () => {
    const g = await createGuild(alice, [bob, carol]);
    const ids = [alice.id, bob.id, carol.id].sort();
    const p1 = await bob.api.get(`/guilds/${g.id}/members?limit=2`);
    expect(p1.body.items.map((m: Json) => m.userId)).toEqual(ids.slice(0, 2));
    expect(p1.body.next).toBe(ids[1]);
    const p2 = await bob.api.get(`/guilds/${g.id}/members?limit=2&after=${p1.body.next}`);
    expect(p2.body).toEqual({ items: [expect.objectContaining({ userId: ids[2] })], next: null });
    const me = await bob.api.get(`/guilds/${g.id}/members/@me`);
    expect(me.body).toMatchObject({ userId: bob.id, username: 'bob', nickname: null });
    expect((await bob.api.get(`/guilds/${g.id}/members/${admin.id}`)).status).toBe(404);
    expect((await bob.api.get(`/guilds/${g.id}/members?limit=0`)).status).toBe(400);
    expect((await bob.api.get(`/guilds/${g.id}/members?limit=101`)).status).toBe(400);
  });

  it('creates roles above @everyone, orders them, and enforces the hierarchy', async () => {
    const g = await createGuild(alice, [bob, carol]);
    const low = await alice.api.post(`/guilds/${g.id}/roles`, { name: 'low', color: 0xff0000 });
    expect(low.status).toBe(201);
    expect(low.body).toMatchObject({ position: 1, permissions: '0', color: 0xff0000 });
    const high = await alice.api.post(`/guilds/${g.id}/roles`, {
      name: 'manager',
      permissions: String(MANAGE_ROLES | KICK),
    });
    // a new role goes to position 1 and the others move up
    const roles = (await alice.api.get(`/guilds/${g.id}/roles`)).body;
    expect(roles.map((r: Json) => [r.name, r.position])).toEqual([
      ['@everyone', 0],
      ['manager', 1],
      ['low', 2],
    ]);
    // put manager on top, give it to bob
    expect(
      (await alice.api.patch(`/guilds/${g.id}/roles/${high.body.id}`, { position: 2 })).body
        .position,
    ).toBe(2);
    expect(
      (await alice.api.put(`/guilds/${g.id}/members/${bob.id}/roles/${high.body.id}`)).status,
    ).toBe(204);
    // bob manages roles below manager: can assign "low" to carol, not "manager"
    expect(
      (await bob.api.put(`/guilds/${g.id}/members/${carol.id}/roles/${low.body.id}`)).status,
    ).toBe(204);
    const denied = await bob.api.put(`/guilds/${g.id}/members/${carol.id}/roles/${high.body.id}`);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('role_hierarchy');
    // bob cannot edit his own top role, nor move "low" to his level, nor grant what he lacks
    expect(
      (await bob.api.patch(`/guilds/${g.id}/roles/${high.body.id}`, { name: 'x' })).status,
    ).toBe(403);
    expect(
      (await bob.api.patch(`/guilds/${g.id}/roles/${low.body.id}`, { position: 2 })).status,
    ).toBe(403);
    expect(
      (
        await bob.api.patch(`/guilds/${g.id}/roles/${low.body.id}`, {
          permissions: String(1n << 3n),
        })
      ).status,
    ).toBe(403);
    expect(
      (await bob.api.patch(`/guilds/${g.id}/roles/${low.body.id}`, { name: 'lower' })).status,
    ).toBe(200);
    // carol has no MANAGE_ROLES
    expect((await carol.api.post(`/guilds/${g.id}/roles`, { name: 'mine' })).status).toBe(403);
    // @everyone keeps name and position and cannot be deleted
    expect((await alice.api.patch(`/guilds/${g.id}/roles/${g.id}`, { name: 'all' })).status).toBe(
      422,
    );
    expect((await alice.api.delete(`/guilds/${g.id}/roles/${g.id}`)).status).toBe(422);
    expect((await alice.api.put(`/guilds/${g.id}/members/${carol.id}/roles/${g.id}`)).status).toBe(
      422,
    );
    expect(
      (await alice.api.patch(`/guilds/${g.id}/roles/${g.id}`, { permissions: '1024' })).status,
    ).toBe(200);
    const types = (await outboxEvents(app.source, g.id)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['role.created', 'role.updated', 'member.roles-changed']),
    );
  });

  it('assigning a role needs its permissions too: a MANAGE_ROLES holder cannot give himself ADMINISTRATOR', async () => {
    const g = await createGuild(alice, [bob, carol]);
    const managers = await grantRole(alice, g.id, bob, {
      name: 'managers',
      permissions: String(MANAGE_ROLES),
    });
    // The owner's new "admins" role lands at position 1, below managers (as in Discord).
    const admins = await alice.api.post(`/guilds/${g.id}/roles`, {
      name: 'admins',
      permissions: String(ADMINISTRATOR),
    });
    expect(admins.body.position).toBe(1);
    const kickers = await alice.api.post(`/guilds/${g.id}/roles`, {
      name: 'kickers',
      permissions: String(KICK | VIEW_CHANNEL),
    });
    const before = await dbState(app.source);
    for (const [userId, roleId] of [
      [bob.id, admins.body.id],
      [carol.id, admins.body.id],
      [carol.id, kickers.body.id],
    ]) {
      const refused = await bob.api.put(`/guilds/${g.id}/members/${userId}/roles/${roleId}`);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(refused.body.code).toBe('permissions_not_held');
      expect(refused.body.detail).toMatch(/(ADMINISTRATOR|KICK_MEMBERS).*owner/);
    }
    for (const [userId, roleIds] of [
      [bob.id, [managers, admins.body.id]],
      [carol.id, [kickers.body.id]],
    ] as const) {
      const patched = await bob.api.patch(`/guilds/${g.id}/members/${userId}`, { roleIds });
      expect(patched.status).toBe(403);
      expect(patched.body.code).toBe('permissions_not_held');
    }
    // Nothing was written, no event published; bob still holds managers only.
    expect(await dbState(app.source)).toEqual(before);
    expect((await bob.api.get(`/guilds/${g.id}/members/@me`)).body.roleIds).toEqual([managers]);

    // A role whose permissions bob holds (his own MANAGE_ROLES, @everyone's VIEW_CHANNEL) works.
    const helpers = await alice.api.post(`/guilds/${g.id}/roles`, {
      name: 'helpers',
      permissions: String(MANAGE_ROLES | VIEW_CHANNEL),
    });
    expect(
      (await bob.api.put(`/guilds/${g.id}/members/${carol.id}/roles/${helpers.body.id}`)).status,
    ).toBe(204);
    expect(
      (await bob.api.put(`/guilds/${g.id}/members/${bob.id}/roles/${helpers.body.id}`)).status,
    ).toBe(204);
    // The owner assigns anything; removing a role needs only the hierarchy, as in Discord.
    expect(
      (await alice.api.put(`/guilds/${g.id}/members/${carol.id}/roles/${admins.body.id}`)).status,
    ).toBe(204);
    expect(
      (await bob.api.delete(`/guilds/${g.id}/members/${carol.id}/roles/${admins.body.id}`)).status,
    ).toBe(204);
    expect((await alice.api.get(`/guilds/${g.id}/members/${carol.id}`)).body.roleIds).toEqual([
      helpers.body.id,
    ]);
  });

  it('deleting a role takes it from its holders, with events', async () => {
    const g = await createGuild(alice, [bob]);
    const roleId = await grantRole(alice, g.id, bob, { name: 'temp' });
    expect((await bob.api.delete(`/guilds/${g.id}/roles/${roleId}`)).status).toBe(403);
    expect((await alice.api.delete(`/guilds/${g.id}/roles/${roleId}`)).status).toBe(204);
    expect((await alice.api.delete(`/guilds/${g.id}/roles/${roleId}`)).status).toBe(404);
    expect((await alice.api.get(`/guilds/${g.id}/members/${bob.id}`)).body.roleIds).toEqual([]);
    const events = await outboxEvents(app.source, g.id);
    expect(events.slice(-2)).toEqual([
      { type: 'role.deleted', data: { guildId: g.id, roleId } },
      { type: 'member.roles-changed', data: { guildId: g.id, userId: bob.id, roleIds: [] } },
    ]);
  });

  it('changes nicknames (own freely, others with MANAGE_GUILD) and replaces roles by PATCH', async () => {
    const g = await createGuild(alice, [bob, carol]);
    const own = await bob.api.patch(`/guilds/${g.id}/members/@me`, { nickname: 'Bobby' });
    expect(own.status).toBe(200);
    expect(own.body.nickname).toBe('Bobby');
    expect(
      (await carol.api.patch(`/guilds/${g.id}/members/${bob.id}`, { nickname: 'x' })).status,
    ).toBe(403);
    const role = (await alice.api.post(`/guilds/${g.id}/roles`, { name: 'r' })).body.id;
    const set = await alice.api.patch(`/guilds/${g.id}/members/${bob.id}`, {
      nickname: null,
      roleIds: [role],
    });
    expect(set.body).toMatchObject({ nickname: null, roleIds: [role] });
    const unknown = await alice.api.patch(`/guilds/${g.id}/members/${bob.id}`, {
      roleIds: ['123456789'],
    });
    expect(unknown.status).toBe(422);
    const long = await alice.api.patch(`/guilds/${g.id}/members/${bob.id}`, {
      nickname: 'n'.repeat(33),
    });
    expect(long.status).toBe(400);
    expect((await outboxEvents(app.source, g.id)).map((e) => e.type)).toContain('member.updated');
  });

  it('kicks by permission and hierarchy; realm moderators kick anyone but the owner', async () => {
    const g = await createGuild(alice, [bob, carol, mod]);
    expect((await carol.api.delete(`/guilds/${g.id}/members/${bob.id}`)).status).toBe(403);
    const kicker = await grantRole(alice, g.id, carol, { permissions: String(KICK) });
    // same highest role: refused; and nobody kicks the owner
    await alice.api.put(`/guilds/${g.id}/members/${bob.id}/roles/${kicker}`);
    const equal = await carol.api.delete(`/guilds/${g.id}/members/${bob.id}`);
    expect(equal.status).toBe(403);
    expect(equal.body.code).toBe('member_hierarchy');
    expect((await mod.api.delete(`/guilds/${g.id}/members/${alice.id}`)).status).toBe(403);
    expect((await alice.api.delete(`/guilds/${g.id}/members/${alice.id}`)).status).toBe(422);
    expect((await mod.api.delete(`/guilds/${g.id}/members/${bob.id}`)).status).toBe(204);
    expect((await mod.api.delete(`/guilds/${g.id}/members/${bob.id}`)).status).toBe(404);
    expect((await bob.api.get(`/guilds/${g.id}`)).status).toBe(404);
    const events = await outboxEvents(app.source, g.id);
    expect(events[events.length - 1]).toEqual({
      type: 'member.kicked',
      data: { guildId: g.id, userId: bob.id },
    });
  });

  it('lets members leave; the owner gets 409 until ownership is transferred', async () => {
    const g = await createGuild(alice, [bob]);
    const before = await dbState(app.source);
    const owner = await alice.api.delete(`/guilds/${g.id}/members/@me`);
    expect(owner.status).toBe(409);
    expect(owner.body.code).toBe('owner_cannot_leave');
    expect(owner.body.detail).toMatch(/transfer ownership/);
    expect(await dbState(app.source)).toEqual(before);
    expect((await bob.api.delete(`/guilds/${g.id}/members/@me`)).status).toBe(204);
    expect((await bob.api.delete(`/guilds/${g.id}/members/@me`)).status).toBe(404);
    const events = await outboxEvents(app.source, g.id);
    expect(events[events.length - 1]).toEqual({
      type: 'member.left',
      data: { guildId: g.id, userId: bob.id },
    });
  });
});
