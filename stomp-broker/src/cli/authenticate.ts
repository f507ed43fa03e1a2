import { ErrorCode, StompError } from '../errors';
import { header } from '../frame';
import type { Authenticate } from '../hooks';
import type { Principal } from '../session';
import { JwtAuthenticator, TokenRefused } from './jwt-authenticator';
import type { UsersAuthenticator } from './users-file';

export interface CliAuthentication {
  users: UsersAuthenticator | undefined;
  jwt: JwtAuthenticator | undefined;
  /** Failures that are the broker's, not the client's (the key set cannot be fetched). */
  log: (message: string) => void;
}

/** What the CLI puts on a session's principal. */
export interface CliPrincipal extends Principal {
  roles: string[];
  /** The token's expiry, for JWT logins; the session is ended then. */
  expiresAt?: Date;
}

/** header.payload.signature, each base64url. */
const jwtShaped = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const wrongLogin = 'Login refused: unknown login or wrong passcode. Check both and connect again.';

/**
 * The CLI's CONNECT check, from what the command line enabled:
 *
 * 1. an `Authorization: Bearer <jwt>` header is verified against the key set (`--jwks-url`);
 * 2. else a `passcode` shaped like a JWT (three base64url parts) is verified as one, whatever the
 *    login says (`--jwks-url`; stompjs and most clients can only set login and passcode);
 * 3. else `login` and `passcode` are checked against the users file (`--users`).
 *
 * Anything else is refused. Every refusal is a StompError, so the client gets ERROR with the
 * reason and the connection is closed (spec 1.2 "ERROR": the server closes after sending it).
 */
export function cliAuthenticate({ users, jwt, log }: CliAuthentication): Authenticate {
  const verifyToken = async (token: string): Promise<CliPrincipal> => {
    try {
      const { name, roles, expiresAt } = await jwt!.verify(token);
      return expiresAt ? { name, roles, expiresAt } : { name, roles };
    } catch (error) {
      if (!(error instanceof TokenRefused)) throw error;
      if (error.code === 'auth_unavailable') log(`cannot check a token: ${String(error.cause)}`);
      throw new StompError(error.code, error.message);
    }
  };

  return async ({ frame }) => {
    const authorization = header(frame, 'Authorization') ?? header(frame, 'authorization');
    const login = header(frame, 'login');
    const passcode = header(frame, 'passcode');
    if (authorization !== undefined) {
      const token = /^Bearer +(\S+)$/i.exec(authorization.trim())?.[1];
      if (!jwt || token === undefined) {
        throw new StompError(
          ErrorCode.Unauthenticated,
          jwt
            ? 'The Authorization header must be "Bearer <token>".'
            : 'This broker does not accept bearer tokens; connect with login and passcode.',
        );
      }
      return verifyToken(token);
    }
    // With both, the passcode's shape decides, so the answer never tells which logins exist.
    if (jwt && passcode !== undefined && (!users || jwtShaped.test(passcode))) {
      return verifyToken(passcode);
    }
    if (users && login !== undefined) {
      const user = await users.check(login, passcode ?? '');
      if (!user) throw new StompError(ErrorCode.Unauthenticated, wrongLogin);
      return user;
    }
    throw new StompError(
      ErrorCode.Unauthenticated,
      users
        ? 'This broker needs a login and passcode in CONNECT.'
        : 'This broker needs a token: a JWT as the passcode or an "Authorization: Bearer" header.',
    );
  };
}
