/** 2026-01-01T00:00:00Z: EchoPulse's epoch for snowflake timestamps. */
export const echoPulseEpoch = 1_767_225_600_000n;

const workerBits = 10n;
const sequenceBits = 12n;
const maxSequence = (1n << sequenceBits) - 1n;

/**
 * Discord-style snowflakes: 42 bits of milliseconds since the epoch, 10 bits of worker id,
 * 12 bits of sequence. Ids sort by creation time and are unique per worker; they travel as
 * decimal strings because JSON numbers lose precision past 2^53.
 */
export class SnowflakeGenerator {
  private lastMs = -1n;
  private sequence = 0n;
  private readonly worker: bigint;

  constructor(
    workerId: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(workerId) || workerId < 0 || workerId >= 1 << Number(workerBits)) {
      throw new RangeError(`worker id must be an integer in [0, 1023], got ${workerId}`);
    }
    this.worker = BigInt(workerId);
  }

  next(): string {
    let ms = BigInt(this.now());
    // A clock that steps back must not repeat ids: keep using the last timestamp.
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) {
      this.sequence = (this.sequence + 1n) & maxSequence;
      if (this.sequence === 0n) ms = this.lastMs + 1n; // 4096 ids in one ms: borrow the next ms
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    const id =
      ((ms - echoPulseEpoch) << (workerBits + sequenceBits)) |
      (this.worker << sequenceBits) |
      this.sequence;
    return id.toString();
  }
}

/** When a snowflake was made. */
export function snowflakeTime(id: string): Date {
  return new Date(Number((BigInt(id) >> (workerBits + sequenceBits)) + echoPulseEpoch));
}

/** True for a decimal string that can be a snowflake (a positive 64-bit integer). */
export function isSnowflake(value: string): boolean {
  return /^[1-9][0-9]{0,19}$/.test(value) && BigInt(value) < 1n << 63n;
}
