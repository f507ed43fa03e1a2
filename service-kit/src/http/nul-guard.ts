import { AppError } from '../errors';
import type { Middleware } from 'koa';

/**
 * Paths of the strings in `value` that hold a NUL character (Postgres text cannot store it),
 * walked with a stack of its own rather than by recursion, so no body can overflow the call stack.
 */
function nulPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, 'body']];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) found.push(path);
    } else if (item && typeof item === 'object') {
      const entries = Array.isArray(item) ? item.entries() : Object.entries(item);
      // pushed in reverse, so the fields are reported in document order
      for (const [key, child] of [...entries].reverse()) stack.push([child, `${path}.${key}`]);
    }
  }
  return found;
}

/**
 * Refuses JSON bodies with NUL characters in any string, as a 400 naming each field, before they
 * reach a service: valid JSON and valid for the schema, but no Postgres text column can hold them
 * (found by the schemathesis run).
 */
export const nulGuard: Middleware = async (ctx, next) => {
  const found = nulPaths((ctx.request as { body?: unknown }).body);
  if (found.length) {
    throw new AppError(400, 'validation_failed', 'The request has invalid fields.', {
      errors: Object.fromEntries(
        found.map((path) => [path, { message: 'must not contain NUL characters' }]),
      ),
    });
  }
  await next();
};
