import { accessToken } from '@echopulse/infra/testing';
import { ApiClient, loginAll, type User, type Json } from '../src/testing/api-client';
import { dbState, outboxEvents } from './support/db-state';
import { createGuild, join } from '../src/testing/factories';
import { startTestApp, type TestApp } from '../src/testing/test-app';

const VIEW_CHANNEL = 1n << 10n;

describe('invites and bans', () => {
  let app: TestApp;
  let alice: User, bob: User, carol: User, mod: User, admin: User;

  beforeAll(async () => {
    app = await startTestApp();
    ({ alice, bob, carol, mod, admin } = await loginAll(app.baseUrl));
  });
  afterAll(() => app?.close());

  it('issue #12 bug 6: the preview tells the caller up front whether they are banned or already a member', async () => {
    const g = await createGuild(alice);
    const inv = await alice.api.post(`/guilds/${g.id}/invites`, {});
    expect((await bob.api.post(`/invites/${inv.body.code}`)).status).toBe(201);
    expect((await alice.api.put(`/guilds/${g.id}/bans/${bob.id}`, {})).status).toBe(200);
    const asBob = await bob.api.get(`/invites/${inv.body.code}`);
    expect(asBob.status).toBe(200);
    expect(asBob.body.viewer).toEqual({ member: false, banned: true });
    expect((await alice.api.get(`/invites/${inv.body.code}`)).body.viewer).toEqual({
      member: true,
      banned: false,
    });
    expect((await carol.api.get(`/invites/${inv.body.code}`)).body.viewer).toEqual({
      member: false,
      banned: false,
    });
    // what the preview says is what accepting does
    const refused = await bob.api.post(`/invites/${inv.body.code}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('banned');
  });

  it('creates, previews, accepts, lists and revokes invites', async () => {
    const g = await createGuild(alice);
    const inv = await alice.api.post(`/guilds/${g.id}/invites`, {
      maxUses: 2,
      maxAgeSeconds: 3600,
    });
    expect(inv.status).toBe(201);
    expect(inv.body).toMatchObject({
      guildId: g.id,
      maxUses: 2,
      uses: 0,
      maxAgeSeconds: 3600,
      revoked: false,
    });
    expect(inv.body.code).toMatch(/^[A-Za-z0-9]{10}$/);
    const preview = await bob.api.get(`/invites/${inv.body.code}`);
    expect(preview.body).toEqual({
      code: inv.body.code,
      guild: { id: g.id, name: g.name, iconUrl: null },
      memberCount: 1,
      expiresAt: inv.body.expiresAt,
      viewer: { member: false, banned: false },
    });
    const joined = await bob.api.post(`/invites/${inv.body.code}`);
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ guildId: g.id, userId: bob.id });
    const again = await bob.api.post(`/invites/${inv.body.code}`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_member');
    // listing needs MANAGE_GUILD
    expect((await bob.api.get(`/guilds/${g.id}/invites`)).status).toBe(403);
    const list = await alice.api.get(`/guilds/${g.id}/invites`);
    expect(list.body).toEqual([expect.objectContaining({ code: inv.body.code, uses: 1 })]);
    // revoke: a member without MANAGE_GUILD may not revoke someone else's invite
    expect((await bob.api.delete(`/invites/${inv.body.code}`)).status).toBe(403);
    expect((await alice.api.delete(`/invites/${inv.body.code}`)).status).toBe(204);
    expect((await carol.api.get(`/invites/${inv.body.code}`)).status).toBe(404);
    expect((await carol.api.post(`/invites/${inv.body.code}`)).status).toBe(404);
    expect((await alice.api.delete(`/invites/${inv.body.code}`)).status).toBe(404);
    expect((await carol.api.get('/invites/doesnotexist')).status).toBe(404);
    const events = await outboxEvents(app.source, g.id);
    expect(events[events.length - 1]).toMatchObject({
      type: 'member.joined',
      data: { member: { userId: bob.id } },
    });
  });

  it('never lets concurrent accepts exceed maxUses', async () => {
    // five distinct users race, each in new guilds: 3 uses for 5 claimants, many rounds
    const users = [bob, carol, mod, admin];
    for (let round = 0; round < 4; round++) {
      const g = await createGuild(alice);
      const inv = await alice.api.post(`/guilds/${g.id}/invites`, { maxUses: 3 });
      const results = await Promise.all(
        [...users, ...users].map((u) => u.api.post(`/invites/${inv.body.code}`)),
      );
      const created = results.filter((r) => r.status === 201);
      expect(created).toHaveLength(3);
      for (const r of results.filter((x) => x.status !== 201))
        expect([404, 409]).toContain(r.status);
      const [row] = await app.source.query(`SELECT uses FROM invites WHERE code = $1`, [
        inv.body.code,
      ]);
      expect(row.uses).toBe(3);
      const members = await alice.api.get(`/guilds/${g.id}/members`);
      expect(members.body.items).toHaveLength(4);
    }
  });

  it('expires invites by age (max_age in the past is simulated in the database)', async () => {
    const g = await createGuild(alice);
    const inv = await alice.api.post(`/guilds/${g.id}/invites`, { maxAgeSeconds: 60 });
    await app.source.query(
      `UPDATE invites SET expires_at = now() - interval '1 second' WHERE code = $1`,
      [inv.body.code],
    );
    expect((await bob.api.post(`/invites/${inv.body.code}`)).status).toBe(404);
    const never = await alice.api.post(`/guilds/${g.id}/invites`, { maxAgeSeconds: 0 });
    expect(never.body.expiresAt).toBeNull();
    expect((await alice.api.post(`/guilds/${g.id}/invites`, { maxUses: -1 })).status).toBe(400);
    expect(
      (await alice.api.post(`/guilds/${g.id}/invites`, { maxAgeSeconds: 604801 })).status,
    ).toBe(400);
  });

  it('bans remove the member and keep them out until unbanned', async () => {
    const g = await createGuild(alice, [bob, carol]);
    expect((await carol.api.put(`/guilds/${g.id}/bans/${bob.id}`, {})).status).toBe(403);
    const ban = await alice.api.put(`/guilds/${g.id}/bans/${bob.id}`, { reason: 'spam' });
    expect(ban.status).toBe(200);
    expect(ban.body).toMatchObject({
      userId: bob.id,
      username: 'bob',
      reason: 'spam',
      bannedBy: alice.id,
    });
    expect((await bob.api.get(`/guilds/${g.id}`)).status).toBe(404);
    const inv = await alice.api.post(`/guilds/${g.id}/invites`, {});
    const before = await dbState(app.source);
    const rejoin = await bob.api.post(`/invites/${inv.body.code}`);
    expect(rejoin.status).toBe(403);
    expect(rejoin.body.code).toBe('banned');
    expect(await dbState(app.source)).toEqual(before);
    expect((await alice.api.get(`/guilds/${g.id}/bans/${bob.id}`)).body.reason).toBe('spam');
    expect((await alice.api.get(`/guilds/${g.id}/bans`)).body).toEqual({
      items: [expect.objectContaining({ userId: bob.id })],
      next: null,
    });
    expect((await carol.api.get(`/guilds/${g.id}/bans`)).status).toBe(403);
    expect((await alice.api.delete(`/guilds/${g.id}/bans/${bob.id}`)).status).toBe(204);
    expect((await alice.api.delete(`/guilds/${g.id}/bans/${bob.id}`)).status).toBe(404);
    expect((await alice.api.get(`/guilds/${g.id}/bans/${bob.id}`)).status).toBe(404);
    expect((await bob.api.post(`/invites/${inv.body.code}`)).status).toBe(201);
    const types = (await outboxEvents(app.source, g.id)).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['member.banned', 'member.unbanned', 'member.joined']);
  });

  it('realm moderators ban in Json guild, but nobody bans the owner or themselves', async () => {
    const g = await createGuild(alice, [bob]);
    expect((await mod.api.put(`/guilds/${g.id}/bans/${alice.id}`, {})).status).toBe(403);
    expect((await alice.api.put(`/guilds/${g.id}/bans/${alice.id}`, {})).status).toBe(422);
    expect((await mod.api.put(`/guilds/${g.id}/bans/${bob.id}`, { reason: null })).status).toBe(
      200,
    );
    // a user never seen by the service cannot be banned
    expect((await alice.api.put(`/guilds/${g.id}/bans/unknown-user-id`, {})).status).toBe(404);
    // a ban of a non-member (carol) keeps her from joining later
    expect((await alice.api.put(`/guilds/${g.id}/bans/${carol.id}`, {})).status).toBe(200);
    const inv = await alice.api.post(`/guilds/${g.id}/invites`, {});
    expect((await carol.api.post(`/invites/${inv.body.code}`)).status).toBe(403);
  });

  it('realm moderators and admins who are not members moderate, but neither invite nor speak', async () => {
    const g = await createGuild(alice, [bob, carol]);
    const secret = await alice.api.post(`/guilds/${g.id}/channels`, { name: 'secret' });
    const hide = await alice.api.put(`/channels/${secret.body.id}/permissions/${g.id}`, {
      type: 'role',
      deny: String(VIEW_CHANNEL),
    });
    expect(hide.status).toBe(200);
    const before = await dbState(app.source);
    for (const outsider of [mod, admin]) {
      const invite = await outsider.api.post(`/guilds/${g.id}/invites`, {});
      expect(invite.status).toBe(403);
      expect(invite.body.code).toBe('missing_permission');
      expect(invite.body.detail).toContain('CREATE_INSTANT_INVITE');
      // They read the guild for moderation, private channels included, without SEND_MESSAGES.
      expect((await outsider.api.get(`/guilds/${g.id}`)).status).toBe(200);
      expect((await outsider.api.get(`/guilds/${g.id}/members`)).body.items).toHaveLength(3);
      const channels = (await outsider.api.get(`/guilds/${g.id}/channels`)).body;
      expect(channels.map((c: Json) => c.id)).toContain(secret.body.id);
      const perms = await outsider.api.get(`/channels/${secret.body.id}/permissions/@me`);
      expect(perms.body.names).toEqual(expect.arrayContaining(['VIEW_CHANNEL', 'MANAGE_MESSAGES']));
      expect(perms.body.names).not.toContain('SEND_MESSAGES');
      expect(perms.body.names).not.toContain('CREATE_INSTANT_INVITE');
      expect(perms.body.names).not.toContain('ADMINISTRATOR');
    }
    expect(await dbState(app.source)).toEqual(before);
    // The moderator kicks, bans, lists and lifts bans.
    expect((await mod.api.delete(`/guilds/${g.id}/members/${bob.id}`)).status).toBe(204);
    expect((await mod.api.put(`/guilds/${g.id}/bans/${carol.id}`, {})).status).toBe(200);
    expect((await mod.api.get(`/guilds/${g.id}/bans`)).body.items).toHaveLength(1);
    expect((await mod.api.delete(`/guilds/${g.id}/bans/${carol.id}`)).status).toBe(204);
    // The moderator does not manage the guild; the admin does, as its owner would.
    expect((await mod.api.patch(`/guilds/${g.id}`, { name: 'renamed' })).status).toBe(403);
    expect((await admin.api.patch(`/guilds/${g.id}`, { name: 'renamed' })).status).toBe(200);
    expect(
      (await admin.api.post(`/guilds/${g.id}/roles`, { permissions: String(1n << 3n), name: 'a' }))
        .status,
    ).toBe(201);
  });

  it('a guild ban ends realm-role powers there: a banned moderator or admin gets 404 for all of it', async () => {
    const g = await createGuild(alice, [bob]);
    // (the service knows a user once they have called it)
    for (const u of [mod, admin, carol]) expect((await u.api.get('/users/@me')).status).toBe(200);
    expect((await alice.api.put(`/guilds/${g.id}/bans/${carol.id}`, {})).status).toBe(200);
    expect((await alice.api.put(`/guilds/${g.id}/bans/${mod.id}`, {})).status).toBe(200);
    expect((await alice.api.put(`/guilds/${g.id}/bans/${admin.id}`, {})).status).toBe(200);
    const before = await dbState(app.source);
    for (const staff of [mod, admin]) {
      for (const [method, path] of [
        ['GET', `/guilds/${g.id}`],
        ['GET', `/guilds/${g.id}/members`],
        ['GET', `/guilds/${g.id}/bans`],
        ['GET', `/guilds/${g.id}/bans/${carol.id}`],
        ['DELETE', `/guilds/${g.id}/bans/${carol.id}`],
        ['DELETE', `/guilds/${g.id}/bans/${staff.id}`],
        ['DELETE', `/guilds/${g.id}/members/${bob.id}`],
        ['PUT', `/guilds/${g.id}/bans/${bob.id}`],
        ['GET', `/channels/${g.generalId}`],
      ] as const) {
        const refused = await staff.api.request(method, path, method === 'PUT' ? {} : undefined);
        expect({ who: staff.name, method, path, status: refused.status }).toEqual({
          who: staff.name,
          method,
          path,
          status: 404,
        });
        expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }
    }
    // Nor does the guild appear in the realm admin's list of every guild.
    const all = await admin.api.get('/guilds?limit=100');
    expect(all.body.items.map((x: Json) => x.id)).not.toContain(g.id);
    expect(await dbState(app.source)).toEqual(before);
    // Once unbanned, the realm roles count again.
    expect((await alice.api.delete(`/guilds/${g.id}/bans/${mod.id}`)).status).toBe(204);
    expect((await mod.api.get(`/guilds/${g.id}/bans`)).status).toBe(200);
  });

  it('bans page by user id', async () => {
    const g = await createGuild(alice, [bob, carol]);
    await join(alice.api, g.id, mod);
    for (const u of [bob, carol, mod]) await alice.api.put(`/guilds/${g.id}/bans/${u.id}`, {});
    const ids = [bob.id, carol.id, mod.id].sort();
    const p1 = await alice.api.get(`/guilds/${g.id}/bans?limit=2`);
    expect(p1.body.items.map((b: Json) => b.userId)).toEqual(ids.slice(0, 2));
    const p2 = await alice.api.get(`/guilds/${g.id}/bans?limit=2&after=${p1.body.next}`);
    expect(p2.body.items.map((b: Json) => b.userId)).toEqual([ids[2]]);
    expect(p2.body.next).toBeNull();
    // the token helper works for another client too (sanity of the fixture)
    expect(new ApiClient(app.baseUrl, await accessToken('alice')).token).toBeTruthy();
  });
});
