import { ErrorCode, StompError } from '../errors';
import { header } from '../frame';
import type { FrameHandler } from './handler';

/** UNSUBSCRIBE (spec 1.2 "UNSUBSCRIBE"): by `id`; 1.0 also by `destination`. Unknown ids are ignored. */
export const handleUnsubscribe: FrameHandler = (context, session, frame) => {
  const id =
    header(frame, 'id') ?? (session.version === '1.0' ? header(frame, 'destination') : undefined);
  if (id === undefined)
    throw new StompError(ErrorCode.MissingHeader, 'UNSUBSCRIBE needs an id header.');
  const subscription = session.subscriptions.get(id);
  if (subscription) context.removeSubscription(subscription, 'client_unsubscribe');
  context.receipt(session, frame);
};
