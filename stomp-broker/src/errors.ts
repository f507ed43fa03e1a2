/**
 * A refusal the peer may read: its message goes into the ERROR frame's `message` header.
 * Anything else thrown inside the broker or a hook becomes a generic ERROR that leaks nothing.
 */
export class StompError extends Error {
  constructor(
    /** Stable, machine-readable reason, e.g. `frame_too_large`. */
    readonly code: string,
    message: string,
    /** Extra text for the ERROR frame's body. */
    readonly details?: string,
  ) {
    super(message);
    this.name = 'StompError';
  }
}
