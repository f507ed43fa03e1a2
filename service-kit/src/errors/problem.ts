import { STATUS_CODES } from 'node:http';
import { AppError } from './app-error';

export const problemContentType = 'application/problem+json';

/** A problem details document (RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  [extension: string]: unknown;
}

/** Where the `type` URIs of our problems point; one page per code in the API docs. */
const typeBase = 'https://echopulse.dev/problems/';

/** Turns an AppError into its problem document; anything else becomes a bare 500 that leaks nothing. */
export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof AppError) {
    return {
      ...error.extensions,
      type: typeBase + error.code,
      title: STATUS_CODES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(instance ? { instance } : {}),
    };
  }
  return {
    type: typeBase + 'internal',
    title: STATUS_CODES[500]!,
    status: 500,
    detail: 'An unexpected error occurred; it has been logged.',
    code: 'internal',
    ...(instance ? { instance } : {}),
  };
}
