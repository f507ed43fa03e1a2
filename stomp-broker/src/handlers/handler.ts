import { ErrorCode, StompError } from '../errors';
import { header, type Frame, type HeaderList } from '../frame';
import type { Session } from '../session';
import type { HandlerContext } from './context';

/** Handles one client frame; a promise holds the session's next frames until it settles. */
export type FrameHandler = (
  context: HandlerContext,
  session: Session,
  frame: Frame,
) => void | Promise<void>;

/** A header the frame must have (spec 1.2 "Client Frames" lists the required ones). */
export function required(frame: Frame, name: string): string {
  const value = header(frame, name);
  if (value === undefined) {
    throw new StompError(ErrorCode.MissingHeader, `${frame.command} needs the ${name} header.`);
  }
  return value;
}

/** Runs `then` after `work`, synchronously when `work` was synchronous. */
export function andThen(work: void | Promise<void>, then: () => void): void | Promise<void> {
  if (work instanceof Promise) return work.then(then);
  then();
}

/** Headers the broker sets itself or that steer a frame, never passed on to MESSAGE. */
const reserved = new Set([
  'destination',
  'transaction',
  'receipt',
  'content-length',
  'message-id',
  'subscription',
  'ack',
  'redelivered',
]);

/**
 * The headers a MESSAGE carries on from a SEND: user headers and `content-type`, first occurrence
 * only (spec 1.2 "SEND": "any other headers … SHOULD be passed on"; "Repeated Header Entries").
 */
export function userHeaders(headers: HeaderList): HeaderList {
  let plain = true;
  for (const [name] of headers) if (!reserved.has(name)) plain = false;
  if (plain) return [];
  const seen = new Set<string>();
  const kept: [string, string][] = [];
  for (const [name, value] of headers) {
    if (reserved.has(name) || seen.has(name)) continue;
    seen.add(name);
    kept.push([name, value]);
  }
  return kept;
}
