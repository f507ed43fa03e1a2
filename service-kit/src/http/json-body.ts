import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { AppError } from '../errors';
import { DEFAULT_MAX_JSON_DEPTH, JsonTooDeepError, nestsDeeperThan } from './json-depth';

export interface JsonBodyOptions {
  /** Largest body accepted (413 past it); bytes or a size such as `'256kb'`. */
  limit?: string;
  /** Deepest nesting of arrays and objects accepted (400 `json_too_deep` past it). */
  maxDepth?: number;
}

/**
 * JSON bodies only, up to `limit` and `maxDepth` levels; parse failures become problem+json
 * (400 malformed_json, 400 json_too_deep, 413, 415) instead of koa's plain-text errors. The depth
 * is checked right after parsing, before authentication, so nothing downstream walks a body
 * deeper than the limit.
 */
export function jsonBody(options: JsonBodyOptions = {}): Middleware {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: options.limit ?? '256kb',
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
  return (ctx, next) =>
    parse(ctx, async () => {
      if (nestsDeeperThan((ctx.request as { body?: unknown }).body, maxDepth)) {
        throw new JsonTooDeepError(maxDepth);
      }
      await next();
    });
}
