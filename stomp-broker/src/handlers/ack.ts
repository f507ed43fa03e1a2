import { ErrorCode, StompError } from '../errors';
import { header, type Frame } from '../frame';
import type { Session } from '../session';
import type { HandlerContext } from './context';
import type { FrameHandler } from './handler';
import { holdInTransaction } from './transaction-hold';

/**
 * ACK and NACK (spec 1.2 "ACK", "NACK"): 1.2 names the message by `id`, the MESSAGE's `ack`
 * header; 1.1 and 1.0 by `message-id`. Inside a transaction they take effect at COMMIT.
 */
export const handleAck: FrameHandler = (context, session, frame) => {
  const key = ackKey(session, frame);
  const transaction = header(frame, 'transaction');
  if (transaction !== undefined) holdInTransaction(context, session, transaction, frame);
  else context.router.settle(session, key, frame.command === 'ACK');
  context.receipt(session, frame);
};

/** Acts on an ACK/NACK now (also at COMMIT). */
export function performAck(context: HandlerContext, session: Session, frame: Frame): void {
  context.router.settle(session, ackKey(session, frame), frame.command === 'ACK');
}

function ackKey(session: Session, frame: Frame): string {
  const name = session.version === '1.2' ? 'id' : 'message-id';
  const key = header(frame, name);
  if (key === undefined) {
    throw new StompError(ErrorCode.MissingHeader, `${frame.command} needs the ${name} header.`);
  }
  return key;
}
