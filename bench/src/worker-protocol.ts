// Messages between the load client's main thread and its subscriber workers.
import type { Credentials } from './stomp-client';

export type ToWorker =
  | {
      type: 'open';
      url: string;
      credentials: Credentials;
      destinations: string[];
      /** One entry per subscriber session: the index of its topic in `destinations`. */
      topics: number[];
    }
  | { type: 'phase'; phase: number; latency: boolean }
  | { type: 'report' }
  | { type: 'close' };

/** Per subscriber (same order as `topics`) what it received in the current phase. */
export interface SubscriberStats {
  topics: Int32Array;
  /** The next sequence number expected: equal to the messages sent when nothing was missed. */
  next: Int32Array;
  received: Int32Array;
  /** Deliveries out of sequence (gap, duplicate or reordering). */
  anomalies: Int32Array;
  /** Publish-to-deliver latencies in ms (latency phases only). */
  latencies: Float64Array;
  /** Deliveries belonging to an earlier phase. */
  late: number;
  /** When the last delivery of this phase arrived (ms, shared clock). */
  lastAt: number;
  /** Sessions the server closed. */
  closed: number;
  problems: string[];
}

export type FromWorker =
  | { type: 'opened'; count: number }
  | { type: 'phase-ready' }
  | { type: 'report'; stats: SubscriberStats }
  | { type: 'closed' }
  | { type: 'error'; message: string };
