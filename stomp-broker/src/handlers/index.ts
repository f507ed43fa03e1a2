import { handleAck } from './ack';
import { handleConnect } from './connect';
import { handleDisconnect } from './disconnect';
import type { FrameHandler } from './handler';
import { handleSend } from './send';
import { handleSubscribe } from './subscribe';
import { handleAbort, handleBegin, handleCommit } from './transaction';
import { handleUnsubscribe } from './unsubscribe';

/** One handler per client frame (spec 1.2 "Client Frames"). */
export const handlers: Readonly<Record<string, FrameHandler | undefined>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, FrameHandler>, {
    CONNECT: handleConnect,
    STOMP: handleConnect,
    SEND: handleSend,
    SUBSCRIBE: handleSubscribe,
    UNSUBSCRIBE: handleUnsubscribe,
    ACK: handleAck,
    NACK: handleAck,
    BEGIN: handleBegin,
    COMMIT: handleCommit,
    ABORT: handleAbort,
    DISCONNECT: handleDisconnect,
  }),
);
