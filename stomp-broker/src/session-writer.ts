import type { BrokerMetrics } from './metrics';
import type { Session } from './session';

/**
 * The write path to a session: sends one serialised frame on its transport and counts it in the
 * metrics. Every outgoing frame passes here (only heart-beat EOLs are sent by the core itself).
 */
export function writeToSession(
  session: Session,
  metrics: BrokerMetrics,
  data: string | Buffer,
  binary: boolean,
  onSent?: (error?: Error) => void,
): void {
  // Anything sent counts as a heart-beat (spec 1.2 "Heart-beating").
  if (session.sendEvery) session.lastSent = Date.now();
  metrics.framesOut++;
  metrics.bytesOut += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  session.transport.send(data, binary, onSent);
}
