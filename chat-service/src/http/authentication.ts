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
 * tsoa's authentication hook for `@Security('keycloak')`: the bearer token verified by
 * service-kit's JWT verifier (audience chat-service), and the realm role `user` required.
 */
export async function koaAuthentication(
  request: KoaRequest,
  securityName: string,
): Promise<Principal> {
  if (securityName !== securityScheme) throw new Error(`unknown security scheme ${securityName}`);
  const token = bearerToken(request.get('Authorization') || undefined);
  if (!token) {
    throw new UnauthorizedError(
      'token_missing',
      'This needs a Keycloak access token: Authorization: Bearer <token>.',
    );
  }
  const principal = await servicesOf(request).verifier.verify(token);
  if (!hasRole(principal, 'user')) {
    throw new ForbiddenError(
      'The access token lacks the realm role "user" that EchoPulse requires.',
      'realm_role_missing',
    );
  }
  return principal;
}
