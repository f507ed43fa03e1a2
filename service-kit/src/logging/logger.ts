import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout, one line per event; `LOG_LEVEL` comes from the service's config. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: ['req.headers.authorization', 'headers.authorization', '*.token', '*.passcode'],
  });
}
