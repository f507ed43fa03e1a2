import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Principal } from '../session';
import type { JwtOptions } from './options';

/** A verified token's subject. */
export interface TokenPrincipal extends Principal {
  roles: string[];
  /** When the token expires; the CLI ends the session then. */
  expiresAt: Date | undefined;
}

/** Why a token was refused: `code` is stable, `message` is for the client. */
export class TokenRefused extends Error {
  constructor(
    readonly code: 'token_invalid' | 'token_expired' | 'auth_unavailable',
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

interface Claims extends JWTPayload {
  preferred_username?: string;
  roles?: unknown;
  realm_access?: { roles?: unknown };
}

/**
 * Verifies JWTs against a JSON Web Key Set fetched from a URL (jose: cached, fetched again when a
 * token names an unknown `kid`, which is how key rotation shows up), with the algorithms pinned
 * and issuer/audience checked when given. The principal's name is `preferred_username` (as
 * Keycloak issues) or else `sub`.
 */
export class JwtAuthenticator {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: JwtOptions) {
    this.keys = createRemoteJWKSet(options.jwksUrl, {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
  }

  async verify(token: string): Promise<TokenPrincipal> {
    let payload: Claims;
    try {
      ({ payload } = await jwtVerify<Claims>(token, this.keys, {
        algorithms: this.options.algorithms,
        ...(this.options.issuer !== undefined ? { issuer: this.options.issuer } : {}),
        ...(this.options.audience !== undefined ? { audience: this.options.audience } : {}),
        clockTolerance: 5,
        requiredClaims: ['sub'],
      }));
    } catch (error) {
      throw refusal(error);
    }
    const roles = Array.isArray(payload.roles)
      ? payload.roles
      : Array.isArray(payload.realm_access?.roles)
        ? payload.realm_access.roles
        : [];
    return {
      name: payload.preferred_username ?? payload.sub!,
      roles: roles.filter((r): r is string => typeof r === 'string'),
      expiresAt: payload.exp === undefined ? undefined : new Date(payload.exp * 1000),
    };
  }
}

function refusal(error: unknown): TokenRefused {
  if (error instanceof errors.JWTExpired) {
    return new TokenRefused('token_expired', 'The token has expired; connect with a fresh one.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new TokenRefused(
      'token_invalid',
      `The token's "${error.claim}" claim is not accepted by this broker.`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenRefused(
      'token_invalid',
      'The token is signed with an algorithm this broker does not accept.',
    );
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey
  ) {
    return new TokenRefused(
      'token_invalid',
      'The token is not signed by a key this broker trusts.',
    );
  }
  if (
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return new TokenRefused('token_invalid', 'The token is malformed.');
  }
  // The key set could not be fetched or read (timeout, network, HTTP status, not a JWKS): not
  // the client's fault. The cause goes to the broker's log.
  return new TokenRefused(
    'auth_unavailable',
    'The broker cannot reach its key set to check tokens; try again shortly.',
    error,
  );
}
