import type { AppRequest } from '../app-router';
import { ErrorCode, StompError } from '../errors';
import { header, type Frame, type HeaderList } from '../frame';
import type { Session } from '../session';
import type { HandlerContext } from './context';
import { andThen, required, userHeaders, type FrameHandler } from './handler';
import { holdInTransaction } from './transaction-hold';

/**
 * SEND (spec 1.2 "SEND"): to a topic, a queue, a user, or an application handler; inside a
 * transaction it is held until COMMIT. The RECEIPT follows the application handler's promise.
 */
export const handleSend: FrameHandler = (context, session, frame) => {
  const destination = required(frame, 'destination');
  const transaction = header(frame, 'transaction');
  if (transaction !== undefined) {
    holdInTransaction(context, session, transaction, frame);
    return context.receipt(session, frame);
  }
  const receiptHeaders: [string, string][] = [];
  return andThen(performSend(context, session, frame, destination, receiptHeaders), () =>
    context.receipt(session, frame, receiptHeaders),
  );
};

/** Acts on a SEND now (also at COMMIT). */
export function performSend(
  context: HandlerContext,
  session: Session,
  frame: Frame,
  destination = required(frame, 'destination'),
  receiptHeaders: [string, string][] = [],
): void | Promise<void> {
  const prefix = context.appPrefix;
  if (destination.startsWith(prefix) && destination.charCodeAt(prefix.length) === 0x2f) {
    const route = context.apps.match(destination.slice(prefix.length));
    if (!route) {
      throw new StompError(
        ErrorCode.UnknownDestination,
        `No application destination ${destination}.`,
      );
    }
    return route.handler(
      appRequest(context, session, frame, destination, route.params, receiptHeaders),
    );
  }
  context.route(destination, userHeaders(frame.headers), frame.body);
}

function appRequest(
  context: HandlerContext,
  session: Session,
  frame: Frame,
  destination: string,
  params: Record<string, string>,
  receiptHeaders: [string, string][],
): AppRequest {
  return {
    session,
    principal: session.principal,
    destination,
    params,
    headers: frame.headers,
    body: frame.body,
    header: (name) => header(frame, name),
    text: () => frame.body.toString('utf8'),
    addReceiptHeader: (name, value) => {
      receiptHeaders.push([name, value]);
    },
    reply: (to: string, body: string | Buffer, headers: HeaderList = []) => {
      context.deliverToSession(session, '/user' + to, headers, body);
    },
  };
}
