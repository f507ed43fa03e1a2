import { header } from '../frame';
import { SessionState } from '../session';
import type { FrameHandler } from './handler';

/**
 * DISCONNECT (spec 1.2 "DISCONNECT"): the RECEIPT, when asked for, is sent before the
 * connection closes, so the client knows every earlier frame was received.
 */
export const handleDisconnect: FrameHandler = (context, session, frame) => {
  const receipt = header(frame, 'receipt');
  session.state = SessionState.Closing;
  session.closeReason = 'client_disconnect';
  if (receipt === undefined) return session.transport.close(1000);
  // sendFrame, not context.receipt: the session is already closing.
  context.sendFrame(session, 'RECEIPT', [['receipt-id', receipt]], undefined, () =>
    session.transport.close(1000),
  );
};
