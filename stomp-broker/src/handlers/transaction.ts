import type { BrokerCore } from '../core';
import { ErrorCode, StompError } from '../errors';
import type { Frame } from '../frame';
import type { Session } from '../session';
import { performAck } from './ack';
import { andThen, required, type FrameHandler } from './handler';
import { performSend } from './send';

/** BEGIN (spec 1.2 "BEGIN"): opens a named transaction for SEND, ACK and NACK. */
export const handleBegin: FrameHandler = (core, session, frame) => {
  const name = required(frame, 'transaction');
  const open = session.transactions;
  if (open.has(name)) {
    throw new StompError(ErrorCode.DuplicateTransaction, `Transaction "${name}" is already open.`);
  }
  if (open.size >= core.limits.maxTransactionsPerSession) {
    throw new StompError(
      ErrorCode.TooManyTransactions,
      `At most ${core.limits.maxTransactionsPerSession} open transactions per session.`,
    );
  }
  open.set(name, []);
  core.receipt(session, frame);
};

/** COMMIT (spec 1.2 "COMMIT"): performs the held frames in order; the RECEIPT follows them all. */
export const handleCommit: FrameHandler = (core, session, frame) => {
  const name = required(frame, 'transaction');
  const held = session.transactions.get(name);
  if (!held) throw new StompError(ErrorCode.UnknownTransaction, `No open transaction "${name}".`);
  session.transactions.delete(name);
  return andThen(perform(core, session, held, 0), () => core.receipt(session, frame));
};

/** ABORT (spec 1.2 "ABORT"): forgets the held frames. */
export const handleAbort: FrameHandler = (core, session, frame) => {
  const name = required(frame, 'transaction');
  if (!session.transactions.delete(name)) {
    throw new StompError(ErrorCode.UnknownTransaction, `No open transaction "${name}".`);
  }
  core.receipt(session, frame);
};

/** Holds a SEND/ACK/NACK until its transaction commits. */
export function holdInTransaction(
  core: BrokerCore,
  session: Session,
  name: string,
  frame: Frame,
): void {
  const held = session.transactions.get(name);
  if (!held) throw new StompError(ErrorCode.UnknownTransaction, `No open transaction "${name}".`);
  if (held.length >= core.limits.maxFramesPerTransaction) {
    throw new StompError(
      ErrorCode.TransactionTooLarge,
      `At most ${core.limits.maxFramesPerTransaction} frames per transaction.`,
    );
  }
  held.push(frame);
}

function perform(
  core: BrokerCore,
  session: Session,
  frames: Frame[],
  from: number,
): void | Promise<void> {
  for (let i = from; i < frames.length; i++) {
    const frame = frames[i]!;
    if (frame.command !== 'SEND') {
      performAck(core, session, frame);
      continue;
    }
    const pending = performSend(core, session, frame);
    if (pending instanceof Promise)
      return pending.then(() => perform(core, session, frames, i + 1));
  }
}
