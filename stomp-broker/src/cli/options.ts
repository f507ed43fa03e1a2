import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultLimits, type BrokerLimits } from '../limits';

/**
 * A bad command line: the CLI prints `stomp-broker: <message>` and exits with status 2, the
 * usual status for a usage error.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Everything `stomp-broker [serve]` needs, validated. */
export interface ServeOptions {
  port: number;
  host: string;
  path: string;
  /** [sx, sy] offered in CONNECTED (spec 1.2 "Heart-beating"). */
  heartbeat: [number, number];
  heartbeatGrace: number;
  /** Only the limits given on the command line; the broker fills in the rest. */
  limits: Partial<BrokerLimits>;
  users: string | undefined;
  jwt: JwtOptions | undefined;
}

export interface JwtOptions {
  jwksUrl: URL;
  issuer: string | undefined;
  audience: string | undefined;
  algorithms: string[];
}

/**
 * The CLI's default heart-beat offer. sx is the shortest period the broker can guarantee and sy
 * the period it wants (spec 1.2 "Heart-beating"); each side then uses the larger of its own and
 * the peer's number, so with 1000,1000 the client's `heart-beat` header decides (stompjs asks
 * for 10000,10000 by default) and no client can make the broker beat more than once a second.
 */
export const defaultCliHeartbeat: [number, number] = [1000, 1000];

/** What each limit means, for --help (kebab-case options are derived from these names). */
const limitHelp: Partial<Record<keyof BrokerLimits, string>> = {
  maxBodySize: 'largest frame body in octets; command and headers not counted (frame_too_large)',
  maxHeaders: 'most header lines in one frame (too_many_headers)',
  maxHeaderLength: 'longest header line in octets (header_too_long)',
  maxSubscriptionsPerSession: 'subscriptions one session may hold (too_many_subscriptions)',
  maxSessionsPerPrincipal: 'sessions one user may hold at once (too_many_sessions)',
  maxTransactionsPerSession: 'transactions one session may have open (too_many_transactions)',
  maxFramesPerTransaction: 'frames one transaction may hold (transaction_too_large)',
  maxQueuedMessages: 'messages a queue holds with no consumer; the oldest go past it',
  maxUnackedPerSubscription: 'unacknowledged queue messages per client-ack subscription',
  maxInboundBuffer: 'inbound octets held while a frame is handled (inbound_overflow at 2x)',
  connectTimeoutMs: 'ms a connection may take to send CONNECT (not_connected)',
  maxPendingPerAddress: 'connections of one address not yet CONNECTed (too_many_pending)',
  slowConsumerDropBytes: 'outgoing octets buffered past which topic messages are dropped',
  slowConsumerCloseBytes: 'outgoing octets buffered past which the session is cut off',
  slowConsumerMaxDrops: 'topic messages dropped in a row before the session is cut off',
};

/** `maxBodySize` → `max-body-size`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Every limit of the broker, with its option name; new limits get an option on their own. */
export const limitOptions = (Object.keys(defaultLimits) as (keyof BrokerLimits)[]).map((key) => ({
  key,
  option: kebab(key),
  help: limitHelp[key] ?? `the broker's ${key} limit (see README, "Limits")`,
  fallback: defaultLimits[key],
}));

/**
 * The former name of --max-body-size, from when the limit counted the whole frame; still taken,
 * so existing command lines (and stompjs' peer run) keep working.
 */
const formerBodyOption = 'max-frame-size';

const serveConfig = {
  port: { type: 'string', default: '61614' },
  host: { type: 'string', default: '127.0.0.1' },
  path: { type: 'string', default: '/ws' },
  heartbeat: { type: 'string', default: defaultCliHeartbeat.join(',') },
  'heartbeat-grace': { type: 'string', default: '2' },
  users: { type: 'string' },
  'jwks-url': { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  'jwt-algorithms': { type: 'string', default: 'RS256' },
  [formerBodyOption]: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  ...Object.fromEntries(limitOptions.map(({ option }) => [option, { type: 'string' }] as const)),
} satisfies ParseArgsConfig['options'];

/** The text of `stomp-broker --help`. */
export function usage(): string {
  const limitLines = limitOptions.map(
    ({ option, help, fallback }) =>
      `  --${(option + ' N').padEnd(36)}default ${fallback}\n${' '.repeat(27)}${help}`,
  );
  return `usage: stomp-broker [options]          serve STOMP 1.0-1.2 over WebSocket
       stomp-broker passwd --users FILE [--roles a,b] [--password P] NAME
                                          add or change a user in a users file (the password is
                                          read from stdin unless --password is given)

options:
  --port N                 port to listen on, 0 = any free one; default 61614
  --host H                 address to listen on; default 127.0.0.1
  --path P                 WebSocket path; default /ws
  --heartbeat SX,SY        heart-beats offered in CONNECTED, in ms: SX = the shortest period the
                           broker will send at, SY = the period it wants from clients; each side
                           uses the larger of its own and the peer's value, 0 = never;
                           default ${defaultCliHeartbeat.join(',')}
  --heartbeat-grace F      a client silent for its period times F is disconnected; default 2

authentication (without --users or --jwks-url anyone may connect):
  --users FILE             users file with scrypt-hashed passcodes (see "passwd"); CONNECT's
                           login and passcode must match one of its users
  --jwks-url URL           accept JWTs (CONNECT's passcode, or an "Authorization: Bearer" header)
                           signed by a key of this JSON Web Key Set
  --issuer ISS             the JWTs' "iss" must be exactly this
  --audience AUD           the JWTs' "aud" must contain this
  --jwt-algorithms A,B     accepted signature algorithms (asymmetric only); default RS256

limits (positive integers; a violation ends the session with ERROR and the code shown):
${limitLines.join('\n')}
  --${(formerBodyOption + ' N').padEnd(36)}the former name of --max-body-size

  -h, --help               this text
`;
}

/** Parses and validates `stomp-broker [serve] …`; throws {@link UsageError}. */
export function parseServeOptions(argv: string[]): ServeOptions | 'help' {
  const { values, positionals } = parseOrThrow(argv, serveConfig);
  if (values.help) return 'help';
  if (positionals.length) {
    throw new UsageError(`unexpected argument ${positionals[0]} (see stomp-broker --help)`);
  }
  const port = integer('port', values.port, 0, 65535);
  const path = values.path;
  if (!path.startsWith('/')) throw new UsageError(`--path must start with /, got ${path}`);
  const limits: Partial<BrokerLimits> = {};
  for (const { key, option } of limitOptions) {
    const raw = (values as Record<string, string | boolean | undefined>)[option];
    if (typeof raw === 'string') limits[key] = integer(option, raw, 1);
  }
  const former = values[formerBodyOption];
  if (former !== undefined) {
    if (limits.maxBodySize !== undefined) {
      throw new UsageError(
        `--${formerBodyOption} is the former name of --max-body-size: give only one of them`,
      );
    }
    limits.maxBodySize = integer(formerBodyOption, former, 1);
  }
  const grace = Number(values['heartbeat-grace']);
  if (!Number.isFinite(grace) || grace < 1) {
    throw new UsageError(
      `--heartbeat-grace must be a number of at least 1, got ${values['heartbeat-grace']}`,
    );
  }
  return {
    port,
    host: values.host,
    path,
    heartbeat: heartbeat(values.heartbeat),
    heartbeatGrace: grace,
    limits,
    users: values.users,
    jwt: jwtOptions(values),
  };
}

function jwtOptions(values: {
  'jwks-url'?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  'jwt-algorithms': string;
}): JwtOptions | undefined {
  const raw = values['jwks-url'];
  if (raw === undefined) {
    for (const name of ['issuer', 'audience'] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} needs --jwks-url`);
    }
    return undefined;
  }
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(raw);
  } catch {
    throw new UsageError(`--jwks-url must be an http(s) URL, got ${raw}`);
  }
  if (jwksUrl.protocol !== 'http:' && jwksUrl.protocol !== 'https:') {
    throw new UsageError(`--jwks-url must be an http(s) URL, got ${raw}`);
  }
  const algorithms = values['jwt-algorithms'].split(',').map((a) => a.trim());
  // A shared secret would have to be in the JWKS for everyone to read; "none" is no signature.
  const bad = algorithms.find((a) => !/^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/.test(a));
  if (bad !== undefined) {
    throw new UsageError(
      `--jwt-algorithms takes asymmetric JWS algorithms (RS256, PS256, ES256, EdDSA…), got ${bad}`,
    );
  }
  return { jwksUrl, issuer: values.issuer, audience: values.audience, algorithms };
}

function heartbeat(raw: string): [number, number] {
  const match = /^(\d{1,9}),(\d{1,9})$/.exec(raw.replace(/\s/g, ''));
  if (!match) {
    throw new UsageError(
      `--heartbeat must be two non-negative integers of milliseconds, SX,SY (e.g. 10000,10000), got ${raw}`,
    );
  }
  return [Number(match[1]), Number(match[2])];
}

/** A whole number in [min, max], or a UsageError naming the option. */
export function integer(
  option: string,
  raw: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const what =
      max !== Number.MAX_SAFE_INTEGER
        ? `an integer from ${min} to ${max}`
        : min === 1
          ? 'a positive integer'
          : `an integer of at least ${min}`;
    throw new UsageError(`--${option} must be ${what}, got ${raw}`);
  }
  return value;
}

/** parseArgs, with its errors (unknown option, missing value) as UsageErrors. */
export function parseOrThrow<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as Error & { code?: string };
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
      throw new UsageError(`unknown option ${unknown[1]} (see stomp-broker --help)`);
    }
    throw new UsageError(`${message.replace(/\.$/, '')} (see stomp-broker --help)`);
  }
}
