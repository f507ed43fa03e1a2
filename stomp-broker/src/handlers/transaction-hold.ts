import { ErrorCode, StompError } from '../errors';
import type { Frame } from '../frame';
import type { Session } from '../session';
import type { HandlerContext } from './context';

// A module of its own: the SEND and ACK handlers hold frames here, and transaction.ts performs
// them at COMMIT with those handlers' functions, so no two handler modules import each other.

/** Holds a SEND/ACK/NACK until its transaction commits. */
export function holdInTransaction(
  context: HandlerContext,
  session: Session,
  name: string,
  frame: Frame,
): void {
  const held = session.transactions.get(name);
  if (!held) throw new StompError(ErrorCode.UnknownTransaction, `No open transaction "${name}".`);
  if (held.length >= context.limits.maxFramesPerTransaction) {
    throw new StompError(
      ErrorCode.TransactionTooLarge,
      `At most ${context.limits.maxFramesPerTransaction} frames per transaction.`,
    );
  }
  held.push(frame);
}
