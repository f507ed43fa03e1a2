import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { AppError } from '../errors';

/**
 * JSON bodies only, up to `limit`; parse failures become problem+json (400 malformed_json, 413,
 * 415) instead of koa's plain-text errors.
 */
export function jsonBody(limit = '256kb'): Middleware {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    // `null`, numbers and strings are JSON too; tsoa then says what the body should have been
    jsonStrict: false,
    encoding: 'utf-8',
    onError: (error) => {
      const status = (error as { status?: number }).status;
      if (status === 413)
        throw new AppError(413, 'body_too_large', 'The request body is too large.');
      if (status === 415) throw new AppError(415, 'unsupported_media_type', error.message);
      throw new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
    },
  }) as Middleware;
}
