/**
 * A tiny seeded PRNG (mulberry32) for the election timeout. Deterministic: the same seed
 * yields the same sequence on every platform, which makes a failing run replayable.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next unsigned 32-bit value. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform integer in `[lo, hi)`. */
  intBetween(lo: number, hi: number): number {
    return lo + (this.nextU32() % (hi - lo));
  }
}
