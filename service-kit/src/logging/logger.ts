import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Path segments that are bearer secrets: whoever holds an invite code may join its guild, so
 * `/api/invites/{code}` (and anything below it) is never written out with the code.
 */
const secretSegment = /(\/invites\/)[^/?#\s]+/g;

/** `text` with the secrets of URL paths replaced by `[redacted]`, e.g. `/api/invites/[redacted]`. */
export const redactSecrets = (text: string): string => text.replace(secretSegment, '$1[redacted]');

/** Fields of a log line that may hold a request's path. */
const pathFields = ['path', 'url', 'instance'] as const;

/**
 * JSON logs on stdout (or `destination`, for tests), one line per event; `LOG_LEVEL` comes from
 * the service's config. Secrets never reach a line: the Authorization header, `token` and
 * `passcode` fields are censored by pino, and invite codes in the path fields are redacted.
 */
export function createLogger(
  service: string,
  level = 'info',
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    redact: ['req.headers.authorization', 'headers.authorization', '*.token', '*.passcode'],
    formatters: {
      log(line) {
        let out = line; // copied before the first change: the caller's object stays as it was
        for (const field of pathFields) {
          const value = line[field];
          if (typeof value !== 'string') continue;
          const redacted = redactSecrets(value);
          if (redacted !== value) out = { ...out, [field]: redacted };
        }
        return out;
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
