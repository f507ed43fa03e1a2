import { AppError } from '../errors';
import type { Middleware } from 'koa';

/** Paths of the strings in `value` that hold a NUL character (Postgres text cannot store it). */
function nulPaths(value: unknown, path: string, found: string[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, `${path}.${i}`, found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) nulPaths(item, `${path}.${key}`, found);
  }
}

/**
 * Refuses JSON bodies with NUL characters in any string, as a 400 naming each field, before they
 * reach a service: valid JSON and valid for the schema, but no Postgres text column can hold them
 * (found by the schemathesis run).
 */
export const nulGuard: Middleware = async (ctx, next) => {
  const found: string[] = [];
  nulPaths((ctx.request as { body?: unknown }).body, 'body', found);
  if (found.length) {
    throw new AppError(400, 'validation_failed', 'The request has invalid fields.', {
      errors: Object.fromEntries(
        found.map((path) => [path, { message: 'must not contain NUL characters' }]),
      ),
    });
  }
  await next();
};
