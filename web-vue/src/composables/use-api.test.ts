import { ApiError, NetworkError, createApiClient, errorText, plainWords } from './use-api';

type Call = { url: string; init: RequestInit };

function fakeFetch(responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const problem = (status: number, body: object, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

describe('use-api', () => {
  it('sends the bearer token and JSON, and parses the answer', async () => {
    const { fetch, calls } = fakeFetch([
      new Response(JSON.stringify({ id: '1' }), { status: 201 }),
    ]);
    const api = createApiClient({ baseUrl: '/api/server', getToken: async () => 'tok', fetch });
    await expect(api.post('/guilds', { name: 'x' })).resolves.toEqual({ id: '1' });
    expect(calls[0]!.url).toBe('/api/server/guilds');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe('{"name":"x"}');
    expect(calls[0]!.init.headers).toMatchObject({
      authorization: 'Bearer tok',
      'content-type': 'application/json',
    });
  });

  it('answers 204 with undefined', async () => {
    const { fetch } = fakeFetch([new Response(null, { status: 204 })]);
    const api = createApiClient({ baseUrl: '', getToken: async () => null, fetch });
    await expect(api.delete('/x')).resolves.toBeUndefined();
  });

  it('turns problem+json into an ApiError that speaks plain words', async () => {
    const { fetch } = fakeFetch([
      problem(403, {
        status: 403,
        code: 'missing_permission',
        detail: 'MANAGE_CHANNELS is required',
      }),
      problem(400, {
        status: 400,
        code: 'validation_failed',
        errors: { 'body.name': { message: 'must be at least 2 characters' } },
      }),
      problem(429, { status: 429, code: 'rate_limited' }, { 'retry-after': '7' }),
      problem(409, { status: 409, code: 'something_new', detail: 'The channel moved' }),
    ]);
    const api = createApiClient({ baseUrl: '', getToken: async () => 't', fetch });
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: ApiError) => e,
      );

    const forbidden = await failure(api.post('/a', {}));
    expect(forbidden).toBeInstanceOf(ApiError);
    expect([forbidden!.status, forbidden!.code, forbidden!.plain]).toEqual([
      403,
      'missing_permission',
      "You don't have permission to do that here.",
    ]);
    expect((await failure(api.post('/b', {})))!.plain).toBe(
      'That request was not accepted. name: must be at least 2 characters.',
    );
    expect((await failure(api.get('/c')))!.plain).toBe(
      "You're doing that too fast. Try again in 7 s.",
    );
    expect((await failure(api.get('/d')))!.plain).toBe(
      'That conflicts with a change someone just made. Refresh and try again. The channel moved.',
    );
  });

  it('retries once with a renewed token after a 401', async () => {
    const { fetch, calls } = fakeFetch([
      problem(401, { status: 401 }),
      new Response('[]', { status: 200 }),
    ]);
    const api = createApiClient({
      baseUrl: '',
      getToken: async () => 'old',
      refreshToken: async () => 'new',
      fetch,
    });
    await expect(api.get('/x')).resolves.toEqual([]);
    expect(calls.map((c) => (c.init.headers as Record<string, string>).authorization)).toEqual([
      'Bearer old',
      'Bearer new',
    ]);
  });

  it('says the session ended when the renewal fails', async () => {
    const { fetch, calls } = fakeFetch([problem(401, { status: 401, code: 'token_missing' })]);
    const api = createApiClient({
      baseUrl: '',
      getToken: async () => 'old',
      refreshToken: async () => null,
      fetch,
    });
    await expect(api.get('/x')).rejects.toThrow('Your session has ended. Please log in again.');
    expect(calls).toHaveLength(1);
  });

  it("reports a network failure or a proxy's 502 as unreachable, and a bare 500 without its HTML", async () => {
    const { fetch } = fakeFetch([
      new TypeError('fetch failed'),
      new Response('<html>Bad gateway</html>', { status: 502 }),
      new Response('<html>oops</html>', { status: 500 }),
    ]);
    const api = createApiClient({ baseUrl: '', getToken: async () => 't', fetch });
    await expect(api.get('/x')).rejects.toBeInstanceOf(NetworkError);
    await expect(api.get('/x')).rejects.toThrow("Can't reach EchoPulse right now.");
    await expect(api.get('/x')).rejects.toThrow(
      'Something went wrong on our side. Try again in a moment.',
    );
  });

  it('has a sentence for anything thrown', () => {
    expect(plainWords(404, {})).toBe("That doesn't exist any more, or you can't see it.");
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText('??')).toBe('Something went wrong. Try again.');
  });
});
