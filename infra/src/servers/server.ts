export type ServerName = 'postgres' | 'redis' | 'kafka' | 'keycloak';

/** One server of the local infrastructure, as `up`, `down` and `status` see it. */
export interface InfraServer {
  readonly name: ServerName;
  /** Printed once the server is healthy. */
  readonly address: string;
  /** How long a start may take before it counts as failed. */
  readonly startTimeoutMs: number;
  /** The signal that shuts it down cleanly, and how long to wait before SIGKILL. */
  readonly stopSignal: NodeJS.Signals;
  readonly stopGraceMs: number;
  /** Answers quickly; true only when the server does real work (a query, a PING, metadata…). */
  healthy(): Promise<boolean>;
  /** Prepares what is missing (data folder, storage format…) and spawns the process; returns its pid. */
  start(): Promise<number>;
  /** Idempotent set-up once healthy (databases, users…). */
  ensure?(): Promise<void>;
}
