import { ErrorCode, StompError } from '../errors';
import { header, supportedVersions } from '../frame';
import type { Principal, Session } from '../session';
import type { HandlerContext } from './context';
import type { FrameHandler } from './handler';

/**
 * CONNECT and STOMP (spec 1.2 "Connecting"): negotiate the version and heart-beats,
 * authenticate, answer CONNECTED.
 */
export const handleConnect: FrameHandler = (context, session, frame) => {
  // Spec 1.2 "Protocol Negotiation": no accept-version means 1.0; the highest common one wins.
  const accept = header(frame, 'accept-version');
  const offered = accept === undefined ? ['1.0'] : accept.split(',').map((v) => v.trim());
  const version = supportedVersions.find((v) => offered.includes(v));
  if (!version) {
    throw new StompError(
      ErrorCode.UnsupportedVersion,
      `Supported protocol versions are ${supportedVersions.join(' ')}.`,
    );
  }
  // Set now: frames that came with CONNECT wait in the parser and are unescaped by this version.
  session.version = version;
  session.parser.version = version;
  // Spec 1.2 "Heart-beating": send every max(sx, cy), expect every max(cx, sy); 0 = never.
  const [cx, cy] = parseHeartbeat(header(frame, 'heart-beat'));
  const [sx, sy] = context.heartbeat;
  session.sendEvery = sx && cy ? Math.max(sx, cy) : 0;
  session.expectEvery = cx && sy ? Math.max(cx, sy) : 0;

  const authenticate = context.authenticate;
  if (!authenticate) return finish(context, session, session.principal);
  const principal = authenticate({ session, frame, request: session.request });
  if (principal instanceof Promise) {
    return principal.then((p) => finish(context, session, p ?? session.principal));
  }
  return finish(context, session, principal ?? session.principal);
};

function finish(context: HandlerContext, session: Session, principal: Principal | undefined): void {
  if (!session.open) return;
  if (principal) context.registerPrincipal(session, principal);
  const headers: [string, string][] = [
    ['version', session.version],
    ['heart-beat', `${context.heartbeat[0]},${context.heartbeat[1]}`],
    ['session', session.id],
    ['server', context.serverName],
  ];
  if (principal) headers.push(['user-name', principal.name]);
  context.sendFrame(session, 'CONNECTED', headers);
  context.connected(session);
}

function parseHeartbeat(value: string | undefined): [number, number] {
  if (value === undefined) return [0, 0];
  const match = /^\s*(\d{1,9})\s*,\s*(\d{1,9})\s*$/.exec(value);
  if (!match) {
    throw new StompError(
      ErrorCode.InvalidHeader,
      'heart-beat must be two numbers of milliseconds, e.g. 10000,10000.',
    );
  }
  return [Number(match[1]), Number(match[2])];
}
