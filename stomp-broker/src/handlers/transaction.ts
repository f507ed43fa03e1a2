import { ErrorCode, StompError } from '../errors';
import type { Frame } from '../frame';
import type { Session } from '../session';
import type { HandlerContext } from './context';
import { performAck } from './ack';
import { andThen, required, type FrameHandler } from './handler';
import { performSend } from './send';

/** BEGIN (spec 1.2 "BEGIN"): opens a named transaction for SEND, ACK and NACK. */
export const handleBegin: FrameHandler = (context, session, frame) => {
  const name = required(frame, 'transaction');
  const open = session.transactions;
  if (open.has(name)) {
    throw new StompError(ErrorCode.DuplicateTransaction, `Transaction "${name}" is already open.`);
  }
  if (open.size >= context.limits.maxTransactionsPerSession) {
    throw new StompError(
      ErrorCode.TooManyTransactions,
      `At most ${context.limits.maxTransactionsPerSession} open transactions per session.`,
    );
  }
  open.set(name, []);
  context.receipt(session, frame);
};

/** COMMIT (spec 1.2 "COMMIT"): performs the held frames in order; the RECEIPT follows them all. */
export const handleCommit: FrameHandler = (context, session, frame) => {
  const name = required(frame, 'transaction');
  const held = session.transactions.get(name);
  if (!held) throw new StompError(ErrorCode.UnknownTransaction, `No open transaction "${name}".`);
  session.transactions.delete(name);
  return andThen(perform(context, session, held, 0), () => context.receipt(session, frame));
};

/** ABORT (spec 1.2 "ABORT"): forgets the held frames. */
export const handleAbort: FrameHandler = (context, session, frame) => {
  const name = required(frame, 'transaction');
  if (!session.transactions.delete(name)) {
    throw new StompError(ErrorCode.UnknownTransaction, `No open transaction "${name}".`);
  }
  context.receipt(session, frame);
};

function perform(
  context: HandlerContext,
  session: Session,
  frames: Frame[],
  from: number,
): void | Promise<void> {
  for (let i = from; i < frames.length; i++) {
    const frame = frames[i]!;
    if (frame.command !== 'SEND') {
      performAck(context, session, frame);
      continue;
    }
    const pending = performSend(context, session, frame);
    if (pending instanceof Promise)
      return pending.then(() => perform(context, session, frames, i + 1));
  }
}
