// The stomp-broker command's authentication: a users file written by `stomp-broker passwd`, and
// JWTs checked against a JWKS served here by a small HTTP server.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { frame, RawClient, type RawFrame } from '../raw-client';
import { runCli, startCli, type CliProcess } from './cli-process';

const issuer = 'https://id.example/realms/test';
const audience = 'stomp';

describe('stomp-broker CLI authentication', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stomp-broker-auth-'));
  const usersFile = join(dir, 'users.json');
  let cli: CliProcess;
  let jwksServer: Server;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    // Two users, the passwords piped on stdin as `passwd` reads them.
    expect(await runCli(['passwd', '--users', usersFile, 'guest'], 'guest\n')).toMatchObject({
      code: 0,
      stdout: `stomp-broker: user guest added in ${usersFile}\n`,
    });
    expect(
      (await runCli(['passwd', '--users', usersFile, '--roles', 'admin', 'ops'], 's3cret\n')).code,
    ).toBe(0);

    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_request, response) =>
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;

    cli = await startCli([
      '--users',
      usersFile,
      '--jwks-url',
      jwksUrl,
      '--issuer',
      issuer,
      '--audience',
      audience,
    ]);
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  afterAll(async () => {
    await cli?.stop();
    jwksServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends CONNECT with `headers`, returns the answer (CONNECTED or ERROR). */
  const connect = async (headers: Record<string, string>): Promise<[RawFrame, RawClient]> => {
    const client = await RawClient.open(cli.url);
    clients.push(client);
    client.send(frame('CONNECT', { 'accept-version': '1.2', host: 'localhost', ...headers }));
    return [await client.next(5000), client];
  };

  const expectRefused = async (headers: Record<string, string>, code: string, message: RegExp) => {
    const [answer, client] = await connect(headers);
    expect(answer.command).toBe('ERROR');
    expect(answer.headers.message).toMatch(message);
    expect(answer.body.toString()).toMatch(new RegExp(`^${code}`));
    // Spec 1.2 "ERROR": the server closes the connection after sending it.
    await client.closed;
  };

  /** A token signed with `key`; `claims` override the valid defaults. */
  const token = (claims: Record<string, unknown> = {}, key = signingKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      sub: 'user-1',
      preferred_username: 'alice',
      roles: ['user'],
      iss: issuer,
      aud: audience,
      iat: now,
      exp: now + 300,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(key);
  };

  it('writes users with scrypt hashes, each salted, never the password', async () => {
    const text = await readFile(usersFile, 'utf8');
    expect(text).not.toContain('guest\n');
    expect(text).not.toContain('s3cret');
    const { users } = JSON.parse(text) as {
      users: Record<string, { passcode: string; roles?: string[] }>;
    };
    expect(users.guest!.passcode).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[\w+/]+\$[\w+/]+$/);
    expect(users.ops!.roles).toEqual(['admin']);
    expect(users.guest!.passcode.split('$')[3]).not.toBe(users.ops!.passcode.split('$')[3]);
  });

  it('accepts the right login and passcode', async () => {
    const [answer] = await connect({ login: 'guest', passcode: 'guest' });
    expect(answer.command).toBe('CONNECTED');
    expect(answer.headers['user-name']).toBe('guest');
  });

  it('refuses a wrong passcode with ERROR, then closes, and logs the refusal', async () => {
    await expectRefused(
      { login: 'guest', passcode: 'wrong' },
      'unauthenticated',
      /unknown login or wrong passcode/,
    );
    expect(await cli.waitForStderr(/login refused/)).toMatch(
      /login refused \(unauthenticated\) for "guest" from 127\.0\.0\.1/,
    );
  });

  it('refuses an unknown login with the same answer as a wrong passcode', async () => {
    await expectRefused(
      { login: 'mallory', passcode: 'guest' },
      'unauthenticated',
      /unknown login or wrong passcode/,
    );
  });

  it('refuses a CONNECT without credentials', async () => {
    await expectRefused({}, 'unauthenticated', /needs a login and passcode/);
  });

  it('accepts a JWT signed by a key of the JWKS, as passcode or as a bearer header', async () => {
    const [asPasscode] = await connect({ login: 'anyone', passcode: await token() });
    expect(asPasscode.command).toBe('CONNECTED');
    expect(asPasscode.headers['user-name']).toBe('alice');
    const [asHeader] = await connect({ Authorization: `Bearer ${await token()}` });
    expect(asHeader.command).toBe('CONNECTED');
    expect(asHeader.headers['user-name']).toBe('alice');
  });

  it('refuses a forged JWT: same kid, another key', async () => {
    await expectRefused(
      { passcode: await token({}, otherKey) },
      'token_invalid',
      /not signed by a key this broker trusts/,
    );
  });

  it('refuses a JWT for another audience or issuer, and an expired one', async () => {
    await expectRefused(
      { passcode: await token({ aud: 'other' }) },
      'token_invalid',
      /"aud" claim/,
    );
    await expectRefused(
      { passcode: await token({ iss: 'https://evil' }) },
      'token_invalid',
      /"iss" claim/,
    );
    await expectRefused(
      { passcode: await token({ exp: Math.floor(Date.now() / 1000) - 60 }) },
      'token_expired',
      /expired/,
    );
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    await expectRefused(
      { Authorization: 'Basic Z3Vlc3Q6Z3Vlc3Q=' },
      'unauthenticated',
      /Bearer <token>/,
    );
  });

  it('ends a JWT session with ERROR token_expired when its token expires', async () => {
    const [answer, client] = await connect({
      passcode: await token({ exp: Math.floor(Date.now() / 1000) + 2 }),
    });
    expect(answer.command).toBe('CONNECTED');
    const error = await client.next(5000);
    expect(error.command).toBe('ERROR');
    expect(error.body.toString()).toMatch(/^token_expired/);
    await client.closed;
  });
});

describe('stomp-broker CLI with a key set it cannot fetch', () => {
  it('refuses tokens with auth_unavailable and logs why', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const cli = await startCli(['--jwks-url', `http://127.0.0.1:${port}/jwks`]);
    try {
      const client = await RawClient.open(cli.url);
      const { privateKey } = await generateKeyPair('RS256');
      const jwt = await new SignJWT({ sub: 'user-1' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setExpirationTime('5m')
        .sign(privateKey);
      client.send(frame('CONNECT', { 'accept-version': '1.2', passcode: jwt }));
      const answer = await client.next(8000);
      expect(answer.command).toBe('ERROR');
      expect(answer.body.toString()).toMatch(/^auth_unavailable/);
      expect(answer.headers.message).toMatch(/cannot reach its key set/);
      expect(await cli.waitForStderr(/cannot check a token/)).toMatch(/ECONNREFUSED|fetch failed/);
      client.close();
    } finally {
      await cli.stop();
    }
  });
});
