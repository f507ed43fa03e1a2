import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { AppError, UnauthorizedError } from '../errors';
import type { Logger } from '../logging';
import type { Principal } from './principal';

export interface JwtVerifierOptions {
  /** The realm's issuer, e.g. http://127.0.0.1:8180/realms/echopulse; must match `iss` exactly. */
  issuer: string;
  /** This service's client id; must be in `aud`. */
  audience: string;
  /** Defaults to the `jwks_uri` of the issuer's OIDC discovery document. */
  jwksUri?: string;
  /** Pinned algorithms; `none` and HMAC are never accepted. Keycloak signs with RS256 by default. */
  algorithms?: string[];
  /** Leeway for `exp`/`nbf`/`iat` between our clock and Keycloak's. */
  clockToleranceSeconds?: number;
  /** The clock; tests move it to check expiry. */
  now?: () => Date;
  /** Where the cause goes when Keycloak cannot be reached (callers are told only that). */
  logger?: Logger;
}

export interface JwtVerifier {
  /** Verifies signature, issuer, audience and expiry; throws UnauthorizedError with a stable code. */
  verify(token: string): Promise<Principal>;
}

interface KeycloakClaims extends JWTPayload {
  preferred_username?: string;
  name?: string;
  email?: string;
  realm_access?: { roles?: string[] };
}

async function discoverJwksUri(issuer: string): Promise<URL> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`OIDC discovery answered ${res.status}`);
  const doc = (await res.json()) as { issuer?: string; jwks_uri?: string };
  if (doc.issuer !== issuer || !doc.jwks_uri) {
    throw new Error(`OIDC discovery names issuer ${doc.issuer}, expected ${issuer}`);
  }
  return new URL(doc.jwks_uri);
}

/**
 * Verifies Keycloak access tokens locally against the realm's JWKS. jose caches the keys and
 * fetches them again when a token names an unknown `kid`, which is how key rotation shows up.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const algorithms = options.algorithms ?? ['RS256'];
  if (algorithms.some((a) => a === 'none' || a.startsWith('HS'))) {
    throw new Error('only asymmetric algorithms may be pinned');
  }
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keys = () => {
    keySet ??= (
      options.jwksUri ? Promise.resolve(new URL(options.jwksUri)) : discoverJwksUri(options.issuer)
    )
      .then((uri) => createRemoteJWKSet(uri, { cooldownDuration: 30_000, cacheMaxAge: 600_000 }))
      .catch((error: unknown) => {
        keySet = undefined; // try discovery again on the next token
        throw error;
      });
    return keySet;
  };

  /** What the caller is told when Keycloak cannot be reached; the cause stays in our log. */
  const unavailable = (cause: unknown): AppError => {
    options.logger?.warn(
      { err: cause, issuer: options.issuer },
      'the identity provider cannot be reached; access tokens cannot be verified',
    );
    return new AppError(
      503,
      'auth_unavailable',
      'The identity provider cannot be reached; try again shortly.',
    );
  };

  return {
    async verify(token) {
      let jwks: ReturnType<typeof createRemoteJWKSet>;
      try {
        jwks = await keys();
      } catch (error) {
        throw unavailable(error);
      }
      let payload: KeycloakClaims;
      try {
        ({ payload } = await jwtVerify<KeycloakClaims>(token, jwks, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms,
          clockTolerance: options.clockToleranceSeconds ?? 5,
          currentDate: options.now?.(),
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        if (isKeySetFailure(error)) throw unavailable(error);
        throw toAuthError(error);
      }
      const username = payload.preferred_username ?? payload.sub!;
      return {
        id: payload.sub!,
        username,
        displayName: payload.name?.trim() || username,
        ...(payload.email ? { email: payload.email } : {}),
        roles: payload.realm_access?.roles ?? [],
        expiresAt: new Date(payload.exp! * 1000),
      };
    },
  };
}

/**
 * Whether verification failed for want of the key set rather than because of the token: the
 * fetch itself failed (a network error, not a JOSE error), timed out, or Keycloak answered with
 * something other than a key set (jose's generic error).
 */
function isKeySetFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (!(error instanceof errors.JOSEError)) return true;
  return error.code === errors.JOSEError.code;
}

function toAuthError(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) {
    return new UnauthorizedError('token_expired', 'The access token has expired.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new UnauthorizedError(
      'token_invalid',
      `The access token's "${error.claim}" claim is not accepted.`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new UnauthorizedError(
      'token_invalid',
      'The access token is signed with an algorithm that is not accepted.',
    );
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey
  ) {
    return new UnauthorizedError('token_invalid', 'The access token signature is not valid.');
  }
  return new UnauthorizedError('token_invalid', 'The access token is malformed.');
}

/** Reads `Bearer <token>` from an Authorization header value; undefined when absent or of another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim()) : null;
  return match?.[1];
}
