import { loginAll, type User } from '../src/testing/api-client';
import { dbState } from './support/db-state';
import { createGuild, type GuildFixture } from '../src/testing/factories';
import { startTestApp, type TestApp } from '../src/testing/test-app';

// Issue #10 item 5: every numeric and snowflake query or path parameter is bounded in the spec,
// so an out-of-range value is refused by validation with 400 problem+json (code
// validation_failed, the parameter named in `errors`) and never reaches Postgres: no 422, no 500,
// nothing written. Snowflakes are decimal strings of at most 19 digits below 9×10^18 (they fit a
// signed 64-bit bigint); page sizes are whole numbers 1–100.

/** Snowflake-shaped values that are not snowflakes, or not within a signed 64-bit integer. */
const badSnowflakes = [
  '99999999999999999999999',
  '9223372036854775808',
  '9223372036854775807',
  '18446744073709551615',
  '1e20',
  '-1',
  '0',
  '1.5',
];
const badLimits = ['1000', '101', '0', '-1', '1e20', '99999999999999999999999', '1.5'];

describe('numeric and snowflake parameters are bounded: 400 problem+json, never 422 or 500', () => {
  let app: TestApp;
  let alice: User, admin: User;
  let g: GuildFixture;

  beforeAll(async () => {
    app = await startTestApp();
    ({ alice, admin } = await loginAll(app.baseUrl));
    g = await createGuild(alice);
  });
  afterAll(() => app?.close());

  const expect400 = async (user: User, method: string, path: string, parameter: string) => {
    const res = await user.api.request(method, path, method === 'GET' ? undefined : {});
    expect({ method, path, status: res.status, type: res.headers.get('content-type') }).toEqual({
      method,
      path,
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(Object.keys(res.body.errors)).toContain(parameter);
  };

  const limitRoutes = () => [
    '/guilds',
    '/users/@me/guilds',
    `/guilds/${g.id}/members`,
    `/guilds/${g.id}/bans`,
  ];
  it.each(badLimits)('?limit=%s → 400 on every paged list', async (value) => {
    for (const route of limitRoutes())
      await expect400(alice, 'GET', `${route}?limit=${value}`, 'limit');
    await expect400(admin, 'GET', `/guilds?limit=${value}`, 'limit');
  });

  it.each(badSnowflakes)('?after=%s (a guild id cursor) → 400', async (value) => {
    await expect400(alice, 'GET', `/guilds?after=${value}`, 'after');
    await expect400(alice, 'GET', `/users/@me/guilds?after=${value}`, 'after');
  });

  it.each(badSnowflakes)('path id %s → 400 on every route naming a snowflake', async (value) => {
    const before = await dbState(app.source);
    const routes: [string, string, string][] = [
      ['GET', `/guilds/${value}`, 'guildId'],
      ['PATCH', `/guilds/${value}`, 'guildId'],
      ['DELETE', `/guilds/${value}`, 'guildId'],
      ['GET', `/guilds/${value}/channels`, 'guildId'],
      ['POST', `/guilds/${value}/channels`, 'guildId'],
      ['GET', `/guilds/${value}/roles`, 'guildId'],
      ['POST', `/guilds/${value}/roles`, 'guildId'],
      ['PATCH', `/guilds/${g.id}/roles/${value}`, 'roleId'],
      ['DELETE', `/guilds/${g.id}/roles/${value}`, 'roleId'],
      ['GET', `/guilds/${value}/members`, 'guildId'],
      ['DELETE', `/guilds/${value}/members/@me`, 'guildId'],
      ['GET', `/guilds/${value}/members/@me`, 'guildId'],
      ['PUT', `/guilds/${g.id}/members/@me/roles/${value}`, 'roleId'],
      ['DELETE', `/guilds/${g.id}/members/@me/roles/${value}`, 'roleId'],
      ['GET', `/guilds/${value}/invites`, 'guildId'],
      ['POST', `/guilds/${value}/invites`, 'guildId'],
      ['GET', `/guilds/${value}/bans`, 'guildId'],
      ['PUT', `/guilds/${value}/bans/${admin.id}`, 'guildId'],
      ['GET', `/channels/${value}`, 'channelId'],
      ['PATCH', `/channels/${value}`, 'channelId'],
      ['DELETE', `/channels/${value}`, 'channelId'],
      ['GET', `/channels/${value}/permissions/@me`, 'channelId'],
      ['PUT', `/channels/${value}/permissions/${g.id}`, 'channelId'],
      ['DELETE', `/channels/${value}/permissions/${g.id}`, 'channelId'],
    ];
    for (const [method, path, parameter] of routes) await expect400(alice, method, path, parameter);
    expect(await dbState(app.source)).toEqual(before);
  });

  it('the largest snowflake allowed reaches the service and is simply unknown (404), not a database error', async () => {
    const max = '8999999999999999999';
    expect((await alice.api.get(`/guilds/${max}`)).status).toBe(404);
    expect((await alice.api.get(`/channels/${max}`)).status).toBe(404);
    expect((await alice.api.delete(`/guilds/${g.id}/roles/${max}`)).status).toBe(404);
    const page = await alice.api.get(`/users/@me/guilds?after=${max}&limit=100`);
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([]);
  });

  it('an overwrite target (a role id or a user id, so not bounded as a number) out of bigint range is refused as unknown, not a database error', async () => {
    const huge = '99999999999999999999999';
    const put = await alice.api.put(`/channels/${g.generalId}/permissions/${huge}`, {
      type: 'role',
      allow: '0',
      deny: '0',
    });
    expect(put.status).toBe(422);
    expect(put.body.code).toBe('unknown_overwrite_target');
    const del = await alice.api.delete(`/channels/${g.generalId}/permissions/${huge}`);
    expect(del.status).toBe(404);
  });
});
