import type { AppMessage } from '../app-router';
import type { BrokerCore } from '../core';
import { ErrorCode, StompError } from '../errors';
import { header, type Frame, type HeaderList } from '../frame';
import type { Session } from '../session';
import { andThen, required, userHeaders, type FrameHandler } from './handler';
import { holdInTransaction } from './transaction';

/**
 * SEND (spec 1.2 "SEND"): to a topic, a queue, a user, or an application handler; inside a
 * transaction it is held until COMMIT. The RECEIPT follows the application handler's promise.
 */
export const handleSend: FrameHandler = (core, session, frame) => {
  const destination = required(frame, 'destination');
  const transaction = header(frame, 'transaction');
  if (transaction !== undefined) {
    holdInTransaction(core, session, transaction, frame);
    return core.receipt(session, frame);
  }
  const receiptHeaders: [string, string][] = [];
  return andThen(performSend(core, session, frame, destination, receiptHeaders), () =>
    core.receipt(session, frame, receiptHeaders),
  );
};

/** Acts on a SEND now (also at COMMIT). */
export function performSend(
  core: BrokerCore,
  session: Session,
  frame: Frame,
  destination = required(frame, 'destination'),
  receiptHeaders: [string, string][] = [],
): void | Promise<void> {
  const prefix = core.appPrefix;
  if (destination.startsWith(prefix) && destination.charCodeAt(prefix.length) === 0x2f) {
    const route = core.apps.match(destination.slice(prefix.length));
    if (!route) {
      throw new StompError(
        ErrorCode.UnknownDestination,
        `No application destination ${destination}.`,
      );
    }
    return route.handler(
      appMessage(core, session, frame, destination, route.params, receiptHeaders),
    );
  }
  core.route(destination, userHeaders(frame.headers), frame.body);
}

function appMessage(
  core: BrokerCore,
  session: Session,
  frame: Frame,
  destination: string,
  params: Record<string, string>,
  receiptHeaders: [string, string][],
): AppMessage {
  return {
    session,
    principal: session.principal,
    destination,
    params,
    headers: frame.headers,
    body: frame.body,
    broker: core.broker,
    header: (name) => header(frame, name),
    text: () => frame.body.toString('utf8'),
    addReceiptHeader: (name, value) => {
      receiptHeaders.push([name, value]);
    },
    reply: (to: string, body: string | Buffer, headers: HeaderList = []) => {
      core.deliverToSession(session, '/user' + to, headers, body);
    },
  };
}
