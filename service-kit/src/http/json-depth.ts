import { AppError } from '../errors';

/** How deep JSON bodies may nest arrays and objects by default (`{}` is one level). */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests arrays and objects deeper than `maxDepth` (each array or object is one
 * level, scalars none). It walks with a stack of its own, never by recursion, and returns at the
 * first container past the limit: a body 120,000 levels deep (which `JSON.parse`, iterative in
 * V8, accepts) would overflow the call stack of any recursive walk after it (the NUL guard's,
 * tsoa's validation, structuredClone, JSON.stringify in a log line).
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [container: object, depth: number][] = [];
  if (value !== null && typeof value === 'object') stack.push([value, 1]);
  while (stack.length) {
    const [container, depth] = stack.pop()!;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(container) ? container : Object.values(container)) {
      if (child !== null && typeof child === 'object') stack.push([child as object, depth + 1]);
    }
  }
  return false;
}

/** 400 `json_too_deep`: what a body nested past the limit gets, before any other check. */
export class JsonTooDeepError extends AppError {
  constructor(maxDepth: number) {
    super(
      400,
      'json_too_deep',
      `The JSON body nests arrays and objects deeper than ${maxDepth} levels; no request of this API needs that many, so send a flatter body.`,
    );
  }
}
