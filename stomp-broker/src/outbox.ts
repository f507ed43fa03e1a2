import type { BrokerMetrics } from './metrics';
import type { Session } from './session';

/** Sends one message on a session's transport, counting it; every outgoing byte passes here. */
export function write(
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
