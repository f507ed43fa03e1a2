import type { Logger } from '../logging';
import { AppError, problemContentType, toProblem } from '../errors';
import { ValidateError } from '@tsoa/runtime';
import type { Middleware } from 'koa';

/** Postgres error codes that reach the middleware when a constraint, not a service check, refused a write. */
const pgConflicts = new Set(['23505']); // unique_violation
const pgUnprocessable = new Set(['23514', '23503', '22001', '22003', '23P01']); // check, fk, too long, out of range, exclusion
const pgBadInput = new Set(['22021', '22P05']); // bad encoding, untranslatable character
const pgRetryable = new Set(['40001', '40P01']); // serialization failure, deadlock

/**
 * Turns whatever a request threw into an RFC 9457 problem document: AppError as it is, tsoa's
 * ValidateError as a 400 whose `errors` member names each bad field, body-parser errors (malformed
 * JSON, too large) by their status, constraint violations that slipped past the services as
 * 409/422, and anything else as a bare 500 that is logged with the request id.
 */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof ValidateError) {
    return new AppError(400, 'validation_failed', 'The request has invalid fields.', {
      errors: error.fields,
    });
  }
  const e = error as { status?: number; expose?: boolean; type?: string; code?: string };
  if (typeof e?.code === 'string' && e.code.length === 5) {
    if (pgConflicts.has(e.code)) {
      return new AppError(409, 'conflict', 'The change conflicts with the current state.');
    }
    if (pgUnprocessable.has(e.code)) {
      return new AppError(422, 'constraint_violated', 'The change breaks a rule of the data.');
    }
    if (pgBadInput.has(e.code)) {
      return new AppError(
        400,
        'bad_request',
        'The request holds characters that cannot be stored.',
      );
    }
    if (pgRetryable.has(e.code)) {
      return new AppError(503, 'retry', 'A concurrent change got in the way; try again.');
    }
  }
  if (e?.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.type === 'entity.parse.failed') {
      return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
    }
    if (e.type === 'entity.too.large') {
      return new AppError(413, 'body_too_large', 'The request body is too large.');
    }
    return new AppError(e.status, 'bad_request', (error as Error).message || 'Bad request.');
  }
  return undefined;
}

/** The one place that maps errors to responses (outline's `onerror`). */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      const appError = toAppError(thrown);
      const problem = toProblem(appError ?? thrown, ctx.path);
      if (!appError) {
        logger.error(
          { err: thrown, requestId: ctx.state.requestId, method: ctx.method, path: ctx.path },
          'request failed',
        );
      }
      ctx.status = problem.status;
      ctx.type = problemContentType;
      ctx.body = problem;
      if (problem.status === 401) {
        ctx.set('WWW-Authenticate', `Bearer error="invalid_token"`);
      }
      if (appError?.status === 429 && typeof appError.extensions.retryAfter === 'number') {
        ctx.set('Retry-After', String(appError.extensions.retryAfter));
      }
    }
  };
}
