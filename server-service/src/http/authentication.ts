import {
  bearerToken,
  ForbiddenError,
  hasRole,
  UnauthorizedError,
  type Principal,
} from '@echopulse/service-kit';
import type { Request as KoaRequest } from 'koa';
import { servicesOf } from './services';

/** Name of the OpenAPI security scheme (Keycloak, authorization code + PKCE). */
export const securityScheme = 'keycloak';

/**
 * tsoa's authentication hook for `@Security('keycloak')`: verifies the bearer token with
 * service-kit's JWT verifier (JWKS signature, issuer, audience, expiry, pinned algorithm), refuses
 * tokens without the realm role `user` (403), and records the user on first sight.
 */
export async function koaAuthentication(
  request: KoaRequest,
  securityName: string,
): Promise<Principal> {
  if (securityName !== securityScheme) throw new Error(`unknown security scheme ${securityName}`);
  const services = servicesOf(request);
  const token = bearerToken(request.get('Authorization') || undefined);
  if (!token) {
    throw new UnauthorizedError(
      'token_missing',
      'This needs a Keycloak access token: Authorization: Bearer <token>.',
    );
  }
  const principal = await services.verifier.verify(token);
  if (!hasRole(principal, 'user')) {
    throw new ForbiddenError(
      'The access token lacks the realm role "user" that EchoPulse requires.',
      'realm_role_missing',
    );
  }
  await services.users.remember(principal);
  return principal;
}
