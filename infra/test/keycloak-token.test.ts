import { generateKeyPair, SignJWT, exportJWK } from 'jose';
import { createJwtVerifier, type JwtVerifier } from '@echopulse/service-kit';
import { endpoints } from '../src/endpoints';
import { accessToken } from '../src/testing';

const { issuer } = endpoints.keycloak;
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => token.split('.') as [string, string, string];
const claims = (token: string) => JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString());

describe('access tokens from the real Keycloak', () => {
  let verifier: JwtVerifier;
  let alice: string;

  beforeAll(async () => {
    verifier = createJwtVerifier({ issuer, audience: 'server-service' });
    alice = await accessToken('alice');
  });

  it('verify against the realm JWKS with the expected issuer, audience and roles', async () => {
    const principal = await verifier.verify(alice);
    expect(principal.username).toBe('alice');
    expect(principal.id).toBe(claims(alice).sub);
    expect(principal.displayName).toBe('Alice Archer');
    expect(principal.roles).toContain('user');
    expect(principal.roles).not.toContain('moderator');
    expect(principal.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const chat = await createJwtVerifier({ issuer, audience: 'chat-service' }).verify(alice);
    expect(chat.id).toBe(principal.id);
  });

  it('carry the moderator and admin realm roles of the dev users', async () => {
    expect((await verifier.verify(await accessToken('mod'))).roles).toEqual(
      expect.arrayContaining(['user', 'moderator']),
    );
    const admin = await verifier.verify(await accessToken('admin'));
    expect(admin.roles).toEqual(expect.arrayContaining(['user', 'admin']));
    expect(admin.roles).not.toContain('moderator');
  });

  it('refuse a token whose payload was tampered with', async () => {
    const [header, , signature] = parts(alice);
    const forged = b64({
      ...claims(alice),
      preferred_username: 'admin',
      realm_access: { roles: ['admin'] },
    });
    await expect(verifier.verify(`${header}.${forged}.${signature}`)).rejects.toMatchObject({
      status: 401,
      code: 'token_invalid',
    });
  });

  it('refuse an expired token', async () => {
    const expiresAt = claims(alice).exp * 1000;
    const later = createJwtVerifier({
      issuer,
      audience: 'server-service',
      now: () => new Date(expiresAt + 10_000),
    });
    await expect(later.verify(alice)).rejects.toMatchObject({ status: 401, code: 'token_expired' });
  });

  it('refuse an unsigned token (alg: none)', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${parts(alice)[1]}.`;
    await expect(verifier.verify(unsigned)).rejects.toMatchObject({
      status: 401,
      code: 'token_invalid',
    });
  });

  it('refuse a token signed by another key under the realm key id', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = JSON.parse(Buffer.from(parts(alice)[0], 'base64url').toString()).kid;
    expect((await exportJWK(publicKey)).kty).toBe('RSA');
    const foreign = await new SignJWT(claims(alice))
      .setProtectedHeader({ alg: 'RS256', kid })
      .sign(privateKey);
    await expect(verifier.verify(foreign)).rejects.toMatchObject({ code: 'token_invalid' });
  });

  it('refuse a token meant for another audience or issuer', async () => {
    const otherAudience = createJwtVerifier({ issuer, audience: 'some-other-service' });
    await expect(otherAudience.verify(alice)).rejects.toMatchObject({ code: 'token_invalid' });
    const otherIssuer = createJwtVerifier({
      issuer: `${endpoints.keycloak.url}/realms/master`,
      audience: 'server-service',
    });
    await expect(otherIssuer.verify(alice)).rejects.toMatchObject({ status: 401 });
  });
});
