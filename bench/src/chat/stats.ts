// Latency samples kept whole (a bench run holds at most a few hundred thousand numbers).
export class Samples {
  private values: number[] = [];
  add(ms: number): void {
    this.values.push(ms);
  }
  addAll(ms: ArrayLike<number>): void {
    for (let i = 0; i < ms.length; i++) this.values.push(ms[i]!);
  }
  get count(): number {
    return this.values.length;
  }
  /** Percentile p (0–100) by nearest rank; NaN when empty. */
  percentile(p: number): number {
    if (this.values.length === 0) return NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }
  get max(): number {
    return this.values.reduce((m, v) => Math.max(m, v), 0);
  }
}
