// What a benchmark message carries: `phase|seq|sentAt|padding`, ASCII, a fixed size. The phase
// tells a late delivery of an earlier phase from a current one; `seq` (per publisher, from 0)
// proves every subscriber got every message once and in order; `sentAt` is wall-clock ms with
// sub-ms precision (performance.timeOrigin + performance.now(), one clock for every thread).
import { performance } from 'node:perf_hooks';

export const BODY_BYTES = 100;

/** Milliseconds on a clock that all threads of this process share. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export function messageBody(phase: number, seq: number, sentAt: number): string {
  const head = `${phase}|${seq}|${sentAt.toFixed(3)}|`;
  return head + 'x'.repeat(Math.max(0, BODY_BYTES - head.length));
}

const BAR = 124; // '|'

/** Reads the integer that starts at `at`; returns it and where its '|' is. */
function int(data: Buffer, at: number, end: number): [number, number] {
  let n = 0;
  for (; at < end; at++) {
    const c = data[at]!;
    if (c === BAR) return [n, at];
    n = n * 10 + (c - 48);
  }
  return [NaN, end];
}

/** The parts of a body, read straight from the WebSocket payload without copying. */
export function readBody(
  data: Buffer,
  start: number,
  end: number,
): { phase: number; seq: number; sentAtStart: number } {
  const [phase, bar1] = int(data, start, end);
  const [seq, bar2] = int(data, bar1 + 1, end);
  return { phase, seq, sentAtStart: bar2 + 1 };
}

/** The send time, parsed only when latency is being measured. */
export function readSentAt(data: Buffer, at: number, end: number): number {
  const bar = data.indexOf(BAR, at);
  return Number(data.toString('latin1', at, bar < 0 || bar > end ? end : bar));
}
