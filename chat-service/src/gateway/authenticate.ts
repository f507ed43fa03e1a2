import {
  AppError,
  bearerToken,
  hasRole,
  type JwtVerifier,
  type Principal,
} from '@echopulse/service-kit';
import { StompError, type Authenticate, type Session } from '@echopulse/stomp-broker';

/** Where a session keeps its verified Keycloak principal (id, username, roles, expiry). */
export const PRINCIPAL = 'principal';

export const principalOfSession = (session: Session): Principal => {
  const principal = session.attributes.get(PRINCIPAL) as Principal | undefined;
  if (!principal) throw new StompError('unauthenticated', 'This session is not logged in.');
  return principal;
};

/** A verified token's principal, or the StompError that refuses it (code first in the body). */
export async function verifyToken(
  verifier: JwtVerifier,
  token: string | undefined,
): Promise<Principal> {
  if (!token) {
    throw new StompError(
      'unauthenticated',
      'CONNECT needs a Keycloak access token: header Authorization: Bearer <token>.',
    );
  }
  let principal: Principal;
  try {
    principal = await verifier.verify(token);
  } catch (error) {
    if (error instanceof AppError) throw new StompError(error.code, error.message);
    throw error;
  }
  if (!hasRole(principal, 'user')) {
    throw new StompError('forbidden', 'The access token lacks the realm role "user".');
  }
  return principal;
}

/**
 * CONNECT: `Authorization: Bearer <token>` (audience chat-service), verified like REST calls.
 * The broker's principal name is the Keycloak subject, so `/user/…` destinations are per user.
 */
export function authenticate(verifier: JwtVerifier): Authenticate {
  return async ({ session, frame }) => {
    const value = frame.headers.find(([n]) => n === 'Authorization' || n === 'authorization')?.[1];
    const principal = await verifyToken(verifier, bearerToken(value));
    session.attributes.set(PRINCIPAL, principal);
    return { name: principal.id, username: principal.username };
  };
}
