/**
 * `TickClock`: how many logical ticks real time owes the core. A `setInterval` timer does not
 * catch up: after the event loop was blocked (a GC pause, a long apply, a stopped VM) it fires
 * once, not once per missed interval. The core's leader lease assumes that ticks are not lost
 * (core README, "Lease reads: what they assume"), so the driver counts ticks from a monotonic
 * clock and feeds every tick owed, up to a cap: past a few election timeouts, more ticks
 * change nothing (every timer has run out) and would only cost work.
 */
export class TickClock {
  private readonly origin: number;
  /** Ticks handed out so far (capped catch-ups included), measured from `origin`. */
  private counted = 0;

  /**
   * @param intervalMs length of one tick in ms
   * @param maxCatchUp most ticks one call hands out after a long pause
   * @param now a monotonic clock in ms (default `performance.now`)
   */
  constructor(
    private readonly intervalMs: number,
    private readonly maxCatchUp: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.origin = now();
  }

  /** The ticks due since the last call (at most `maxCatchUp`). */
  owed(): number {
    const due = Math.floor((this.now() - this.origin) / this.intervalMs);
    const owed = due - this.counted;
    if (owed <= 0) return 0;
    // Ticks beyond the cap are forgiven, not carried over.
    this.counted = due;
    return Math.min(owed, this.maxCatchUp);
  }
}
