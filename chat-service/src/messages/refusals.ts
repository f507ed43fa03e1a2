import { FrameRejection } from '@echopulse/stomp-broker';

// Refusals the gateway reports on /user/queue/errors (the session goes on).

export const channelNotFound = () =>
  new FrameRejection('not_found', 'No such channel, or you cannot see it.');
export const noSuchMessage = () => new FrameRejection('not_found', 'No such message.');
export const forbidden = (what: string) =>
  new FrameRejection('forbidden', `You may not ${what} here.`);
/** The Kafka produce failed: the message was not taken (no seq used); the client may retry. */
export const unavailable = () =>
  new FrameRejection('unavailable', 'Messages cannot be stored right now; try again shortly.');
