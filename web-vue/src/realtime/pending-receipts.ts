import { FrameRejection } from '../lib/transport';

interface Pending<T> {
  resolve: (answer: T) => void;
  reject: (error: FrameRejection) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Frames sent with a `receipt` header that wait for their answer: the broker's RECEIPT settles
 * one, a refusal naming its `receipt-id` rejects it, and so do a deadline and the end of the
 * connection (a RECEIPT can never arrive on a new socket, STOMP 1.2 "RECEIPT").
 */
export class PendingReceipts<T> {
  private readonly pending = new Map<string, Pending<T>>();

  get size(): number {
    return this.pending.size;
  }

  /** Waits for `id`'s answer; without one within `timeoutMs` it fails with `timeout`. */
  wait(id: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new FrameRejection('timeout', ''));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  /** The RECEIPT came. False when nothing waits for it any more (timed out, or already refused). */
  settle(id: string, answer: T): boolean {
    const pending = this.take(id);
    pending?.resolve(answer);
    return pending !== undefined;
  }

  /** The frame was refused. False when nothing waits for `id` (the refusal is about something else). */
  refuse(id: string, error: FrameRejection): boolean {
    const pending = this.take(id);
    pending?.reject(error);
    return pending !== undefined;
  }

  /** The connection is gone: every answer still awaited fails with `code`. */
  refuseAll(code: string): void {
    for (const id of [...this.pending.keys()]) this.refuse(id, new FrameRejection(code, ''));
  }

  private take(id: string): Pending<T> | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    return pending;
  }
}
