import { messagePrefix } from '../codec/serializer';
import { destinationKind } from '../destinations/destination';
import { ErrorCode, StompError } from '../errors';
import { header } from '../frame';
import { Subscription, type AckMode } from '../session';
import { required, type FrameHandler } from './handler';

const ackModes = new Set<string>(['auto', 'client', 'client-individual']);

/** SUBSCRIBE (spec 1.2 "SUBSCRIBE"): to a topic, a queue or a `/user/…` destination. */
export const handleSubscribe: FrameHandler = (context, session, frame) => {
  const destination = required(frame, 'destination');
  // Spec 1.2 "SUBSCRIBE id Header" is required since 1.1; 1.0 made it optional.
  const id = header(frame, 'id') ?? (session.version === '1.0' ? destination : undefined);
  if (id === undefined)
    throw new StompError(ErrorCode.MissingHeader, 'SUBSCRIBE needs an id header.');
  if (session.subscriptions.has(id)) {
    throw new StompError(
      ErrorCode.DuplicateSubscription,
      `Subscription id "${id}" is already in use.`,
    );
  }
  if (session.subscriptions.size >= context.limits.maxSubscriptionsPerSession) {
    throw new StompError(
      ErrorCode.TooManySubscriptions,
      `At most ${context.limits.maxSubscriptionsPerSession} subscriptions per session.`,
    );
  }
  // Spec 1.2 "SUBSCRIBE ack Header": auto (default), client, client-individual.
  const ack = header(frame, 'ack') ?? 'auto';
  if (!ackModes.has(ack))
    throw new StompError(ErrorCode.InvalidHeader, `Unknown ack mode "${ack}".`);
  const kind = destinationKind(destination);
  if (!kind) {
    throw new StompError(ErrorCode.UnknownDestination, `Cannot subscribe to ${destination}.`);
  }
  if (kind === 'user' && !session.principal) {
    throw new StompError(
      ErrorCode.Unauthenticated,
      'User destinations need an authenticated session.',
    );
  }
  const subscription = new Subscription(
    id,
    destination,
    ack as AckMode,
    session,
    frame.headers,
    messagePrefix(id, session.version),
  );
  session.addSubscription(subscription);
  context.router.subscribe(subscription);
  context.emit('subscribed', subscription);
  context.receipt(session, frame);
  // Held queue messages flow once the client has its RECEIPT.
  if (kind === 'queue') context.router.dispatch(destination);
};
