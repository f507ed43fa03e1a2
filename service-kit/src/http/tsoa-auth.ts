import type { IocContainer, IocContainerFactory } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { bearerToken, hasRole, type JwtVerifier, type Principal } from '../auth';
import { ForbiddenError, UnauthorizedError } from '../errors';

/** Name of the OpenAPI security scheme (Keycloak, authorization code + PKCE) of both services. */
export const securityScheme = 'keycloak';

/**
 * What tsoa's authentication hook does for `@Security('keycloak')` in both services: the bearer
 * token verified (JWKS signature, issuer, audience, expiry, pinned algorithm) and the realm role
 * `user` required (403 without it).
 */
export async function authenticateRequest(
  request: KoaRequest,
  securityName: string,
  verifier: JwtVerifier,
): Promise<Principal> {
  if (securityName !== securityScheme) throw new Error(`unknown security scheme ${securityName}`);
  const token = bearerToken(request.get('Authorization') || undefined);
  if (!token) {
    throw new UnauthorizedError(
      'token_missing',
      'This needs a Keycloak access token: Authorization: Bearer <token>.',
    );
  }
  const principal = await verifier.verify(token);
  if (!hasRole(principal, 'user')) {
    throw new ForbiddenError(
      'The access token lacks the realm role "user" that EchoPulse requires.',
      'realm_role_missing',
    );
  }
  return principal;
}

/** The principal tsoa's authentication put on the request. */
export function principalOf(request: KoaRequest): Principal {
  const user = (request as KoaRequest & { user?: Principal }).user;
  if (!user) throw new Error('route without @Security reached a principal lookup');
  return user;
}

/**
 * tsoa's controller factory: each controller is built with the services of the app serving the
 * request (`servicesOf`), so several apps (tests) can live in one process without globals.
 */
export function controllerFactory<S>(servicesOf: (request: KoaRequest) => S): IocContainerFactory {
  return (request: unknown): IocContainer => {
    const services = servicesOf(request as KoaRequest);
    const get = <T>(controller: unknown): T => new (controller as new (s: S) => T)(services);
    return { get } as IocContainer;
  };
}
