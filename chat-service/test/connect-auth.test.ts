import { createJwtVerifier } from '@echopulse/service-kit';
import { endpoints } from '@echopulse/infra';
import { accessToken } from '@echopulse/infra/testing';
import { StompError } from '@echopulse/stomp-broker';
import { verifyToken } from '../src/gateway/authenticate';
import { TestClient, TestService } from './support/harness';

// CONNECT's token rules with real Keycloak tokens: over the wire against a running chat-service,
// and the verification step itself with verifiers whose audience, issuer or clock differ.

const jwks = `${endpoints.keycloak.issuer}/protocol/openid-connect/certs`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(work: Promise<unknown>): Promise<StompError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof StompError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('CONNECT authentication', () => {
  const t = new TestService();
  let token: string;

  beforeAll(async () => {
    token = await accessToken('alice');
    await t.start();
  }, 120_000);

  afterAll(() => t.stop(), 60_000);

  const connectWith = async (value: string | undefined) => {
    const c = new TestClient(t.wsUrl, value);
    await c.connect().catch(() => undefined);
    await c.close();
    return c;
  };

  it('accepts a real token', async () => {
    const c = await connectWith(token);
    expect(c.stompError).toBeUndefined();
  });

  it.each([
    ['no token', undefined, 'unauthenticated'],
    ['a malformed token', 'abc.def', 'token_invalid'],
    [
      'a bad signature (payload changed)',
      () => {
        const [h, p, s] = token.split('.');
        const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<
          string,
          unknown
        >;
        return `${h}.${b64({ ...claims, preferred_username: 'mallory' })}.${s}`;
      },
      'token_invalid',
    ],
    [
      'alg none',
      () => {
        const [, p] = token.split('.');
        return `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`;
      },
      'token_invalid',
    ],
  ] as const)('refuses %s with ERROR and closes', async (_what, make, code) => {
    const value = typeof make === 'function' ? make() : make;
    const c = await connectWith(value);
    expect(c.stompError?.body).toMatch(new RegExp(`^${code}`));
    expect(c.client.connected).toBe(false);
  });

  it('refuses an expired token, another audience and another issuer', async () => {
    const expired = createJwtVerifier({
      issuer: endpoints.keycloak.issuer,
      audience: 'chat-service',
      now: () => new Date(Date.now() + 3600_000),
    });
    expect((await refusal(verifyToken(expired, token))).code).toBe('token_expired');
    const otherAudience = createJwtVerifier({
      issuer: endpoints.keycloak.issuer,
      audience: 'billing',
    });
    const wrongAud = await refusal(verifyToken(otherAudience, token));
    expect([wrongAud.code, wrongAud.message]).toEqual([
      'token_invalid',
      expect.stringContaining('"aud"'),
    ]);
    const otherIssuer = createJwtVerifier({
      issuer: 'http://127.0.0.1:8180/realms/elsewhere',
      audience: 'chat-service',
      jwksUri: jwks,
    });
    const wrongIss = await refusal(verifyToken(otherIssuer, token));
    expect([wrongIss.code, wrongIss.message]).toEqual([
      'token_invalid',
      expect.stringContaining('"iss"'),
    ]);
  });
});
