import { Broker, type Listening } from '../broker';
import { StompError } from '../errors';
import { header } from '../frame';
import type { Authenticate } from '../hooks';
import { cliAuthenticate, type CliPrincipal } from './authenticate';
import { JwtAuthenticator } from './jwt-authenticator';
import type { ServeOptions } from './options';
import { readUsersFile, UsersAuthenticator } from './users-file';

/** Where the CLI writes: stdout for what went well, stderr for warnings and errors. */
export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * Starts the broker the command line describes; resolves once it listens.
 */
export async function serve(
  options: ServeOptions,
  { out, err }: Output,
): Promise<{ broker: Broker; listening: Listening }> {
  const users = options.users
    ? new UsersAuthenticator(await readUsersFile(options.users))
    : undefined;
  const jwt = options.jwt ? new JwtAuthenticator(options.jwt) : undefined;
  const check =
    users || jwt
      ? cliAuthenticate({ users, jwt, log: (line) => err(`stomp-broker: ${line}`) })
      : undefined;
  // Refused logins go to the log with their address, for whoever watches for guessing.
  const authenticate: Authenticate | undefined = check
    ? async (request) => {
        try {
          return await check(request);
        } catch (error) {
          if (error instanceof StompError) {
            const login = header(request.frame, 'login');
            err(
              `stomp-broker: login refused (${error.code})` +
                (login === undefined ? '' : ` for ${JSON.stringify(login)}`) +
                ` from ${request.session.remoteAddress ?? 'unknown'}`,
            );
          }
          throw error;
        }
      }
    : undefined;

  const broker = new Broker({
    path: options.path,
    heartbeat: options.heartbeat,
    heartbeatGrace: options.heartbeatGrace,
    limits: options.limits,
    ...(authenticate ? { authenticate } : {}),
    onError: (error) =>
      err(`stomp-broker: ${error instanceof Error ? error.stack : String(error)}`),
  });
  endSessionsWhenTokensExpire(broker);
  // A session ended by the broker (a limit, a heart-beat timeout, an expired token) is logged;
  // clients that disconnect or drop their connection are not, nor every session at shutdown.
  broker.on('disconnected', (session, reason) => {
    if (reason === 'client_disconnect' || reason === 'connection_lost') return;
    if (reason === 'shutting_down') return;
    const who = session.principal ? ` (${session.principal.name})` : '';
    err(`stomp-broker: session ${session.id}${who} from ${session.remoteAddress} ended: ${reason}`);
  });

  const listening = await broker.listen(options.port, options.host);
  out(`stomp-broker listening on ${listening.url}`);
  if (users) {
    out(
      `stomp-broker: users file ${options.users} (${users.size} user${users.size === 1 ? '' : 's'})`,
    );
  }
  if (options.jwt) {
    const { jwksUrl, issuer, audience } = options.jwt;
    out(`stomp-broker: JWTs checked against ${jwksUrl.href}`);
    if (issuer === undefined) err('stomp-broker: warning: no --issuer: any issuer is accepted');
    if (audience === undefined)
      err('stomp-broker: warning: no --audience: any audience is accepted');
  }
  if (!authenticate) {
    err(
      '\nstomp-broker: WARNING: no authentication: anyone may connect.\n' +
        'stomp-broker: WARNING: give --users FILE or --jwks-url URL to require a login.\n',
    );
  }
  const { maxBodySize } = broker.limits;
  const [sx, sy] = options.heartbeat;
  out(`stomp-broker: frame bodies up to ${maxBodySize} octets; heart-beat offered ${sx},${sy}`);
  return { broker, listening };
}

/** A JWT login lasts as long as its token: the session gets ERROR `token_expired` then. */
function endSessionsWhenTokensExpire(broker: Broker): void {
  const timers = new Map<string, NodeJS.Timeout>();
  broker.on('connected', (session) => {
    const expiresAt = (session.principal as CliPrincipal | undefined)?.expiresAt;
    if (!expiresAt) return;
    // setTimeout holds at most 2^31-1 ms (24.8 days); a longer token is checked again then.
    const arm = () => {
      const left = expiresAt.getTime() - Date.now();
      const timer = setTimeout(
        () => {
          if (left > 0x7fffffff) arm();
          else
            broker.closeSession(
              session.id,
              'Your token expired; connect with a fresh one.',
              'token_expired',
            );
        },
        Math.max(0, Math.min(left, 0x7fffffff)),
      ).unref();
      timers.set(session.id, timer);
    };
    arm();
  });
  broker.on('disconnected', (session) => {
    clearTimeout(timers.get(session.id));
    timers.delete(session.id);
  });
}
