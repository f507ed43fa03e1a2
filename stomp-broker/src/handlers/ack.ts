import type { BrokerCore } from '../core';
import { ErrorCode, StompError } from '../errors';
import { header, type Frame } from '../frame';
import type { Session } from '../session';
import type { FrameHandler } from './handler';
import { holdInTransaction } from './transaction';

/**
 * ACK and NACK (spec 1.2 "ACK", "NACK"): 1.2 names the message by `id`, the MESSAGE's `ack`
 * header; 1.1 and 1.0 by `message-id`. Inside a transaction they take effect at COMMIT.
 */
export const handleAck: FrameHandler = (core, session, frame) => {
  const key = ackKey(session, frame);
  const transaction = header(frame, 'transaction');
  if (transaction !== undefined) holdInTransaction(core, session, transaction, frame);
  else core.router.settle(session, key, frame.command === 'ACK');
  core.receipt(session, frame);
};

/** Acts on an ACK/NACK now (also at COMMIT). */
export function performAck(core: BrokerCore, session: Session, frame: Frame): void {
  core.router.settle(session, ackKey(session, frame), frame.command === 'ACK');
}

function ackKey(session: Session, frame: Frame): string {
  const name = session.version === '1.2' ? 'id' : 'message-id';
  const key = header(frame, name);
  if (key === undefined) {
    throw new StompError(ErrorCode.MissingHeader, `${frame.command} needs the ${name} header.`);
  }
  return key;
}
