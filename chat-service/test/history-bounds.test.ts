import { guildCreated, newId, person, TestService, until, type Person } from './support/harness';

// Issue #10 item 5: every numeric query and path parameter is bounded in the spec, so a value out
// of range is refused by validation with 400 problem+json (code validation_failed, the parameter
// named in `errors`) and never reaches Redis or Postgres (which answered 500 or 422 before).

/** The largest seq a client can name exactly (seqs are JSON numbers). */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

describe('history REST: numeric parameters are bounded', () => {
  const t = new TestService();
  let alice: Person;
  const channelId = newId();

  beforeAll(async () => {
    alice = await person('alice');
    await t.start();
    await t.publish(guildCreated(alice, [], [{ id: channelId }]));
    await until(
      async () => (await t.get(`/api/channels/${channelId}/messages`, alice.token)).status === 200,
      30_000,
      'the projection',
    );
  }, 120_000);

  afterAll(() => t.stop(), 60_000);

  const get = async (path: string) => {
    const res = await fetch(t.url + path, { headers: { Authorization: `Bearer ${alice.token}` } });
    // a problem document, or a page of messages (checked with toEqual)
    const body = (await res.json()) as { code?: string; errors: Record<string, unknown> };
    return { status: res.status, type: res.headers.get('content-type'), body };
  };

  const messages = `/api/channels/${channelId}/messages`;
  it.each([
    ['before', '99999999999999999999999'],
    ['before', String(MAX_SEQ + 1)],
    ['before', '9223372036854775807'],
    ['before', '0'],
    ['before', '-1'],
    ['before', '1.5'],
    ['after', '1e20'],
    ['after', '99999999999999999999999'],
    ['after', '-1'],
    ['around', '1e20'],
    ['around', '99999999999999999999999'],
    ['around', String(MAX_SEQ + 1)],
    ['around', '0'],
    ['limit', '1000'],
    ['limit', '101'],
    ['limit', '0'],
    ['limit', '-1'],
    ['limit', '1e20'],
    ['limit', '99999999999999999999999'],
  ])('?%s=%s → 400 problem+json naming the parameter', async (name, value) => {
    const res = await get(`${messages}?${name}=${value}`);
    expect({ status: res.status, type: res.type }).toEqual({
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(Object.keys(res.body.errors)).toEqual([name]);
  });

  it.each([
    ['99999999999999999999'],
    ['9223372036854775808'],
    ['18446744073709551615'],
    ['1e20'],
    ['-1'],
    ['0'],
  ])('channel id %s → 400 problem+json naming channelId', async (id) => {
    const res = await get(`/api/channels/${id}/messages`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(Object.keys(res.body.errors)).toEqual(['channelId']);
  });

  it.each([['before'], ['after'], ['around']])(
    'the largest %s allowed is served (200), not a database error',
    async (name) => {
      const res = await get(`${messages}?${name}=${MAX_SEQ}&limit=100`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    },
  );

  it('the largest channel id allowed answers 404, not a database error', async () => {
    const res = await get('/api/channels/8999999999999999999/messages');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'unknown_channel' });
  });

  it('a presence guild id out of range → 400 naming guildId', async () => {
    const res = await get('/api/guilds/99999999999999999999/presence');
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(['guildId']);
  });
});
