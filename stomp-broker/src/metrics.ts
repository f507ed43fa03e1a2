/** Counters the broker keeps; read `broker.metrics`, or listen to the `metrics` event. */
export interface BrokerMetrics {
  /** Sessions open now (connected or still connecting). */
  sessions: number;
  /** Sessions accepted since start. */
  sessionsTotal: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Topic/user messages not sent to a slow consumer. */
  drops: number;
  /** Sessions ended because they read too slowly. */
  slowConsumerDisconnects: number;
  /** Queue messages dropped because the queue was full (oldest first). */
  queueDrops: number;
  /** Deliveries an outbound interceptor dropped. */
  outboundDrops: number;
  /** Frames refused with a FrameRejection (session kept). */
  rejections: number;
  /** ERROR frames sent (each ends a session). */
  errors: number;
  /** Connections refused because their address had `maxPendingPerAddress` not yet CONNECTed. */
  pendingRefusals: number;
}

export function newMetrics(): BrokerMetrics {
  return {
    sessions: 0,
    sessionsTotal: 0,
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    drops: 0,
    slowConsumerDisconnects: 0,
    queueDrops: 0,
    outboundDrops: 0,
    rejections: 0,
    errors: 0,
    pendingRefusals: 0,
  };
}
