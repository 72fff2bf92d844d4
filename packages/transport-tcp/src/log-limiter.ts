/**
 * `LogLimiter`: rate-limits repetitive warnings, so that a flood of bad connections costs a
 * few log lines, not one per connection or frame. Per key (a refusal reason), at most
 * `burst` lines per `windowMs`; the rest are counted, and the next line of that key after
 * the window (or `flush`, at close) reports how many were suppressed.
 */
import type { Logger } from './logger.js';

/** Lines per key and window before suppression. */
export const LOG_BURST = 10;
/** The rate-limit window, in ms. */
export const LOG_WINDOW_MS = 10_000;

interface Window {
  start: number;
  lines: number;
  suppressed: number;
}

export class LogLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly logger: Logger,
    private readonly burst = LOG_BURST,
    private readonly windowMs = LOG_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs a warning under `key` unless that key is over its rate. */
  warn(key: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    let w = this.#windows.get(key);
    if (w === undefined || now - w.start >= this.windowMs) {
      if (w !== undefined && w.suppressed > 0) this.#report(key, w);
      w = { start: now, lines: 0, suppressed: 0 };
      this.#windows.set(key, w);
    }
    if (w.lines < this.burst) {
      w.lines++;
      this.logger.warn(fields, message);
    } else {
      w.suppressed++;
    }
  }

  /** Reports every key's suppressed lines (at close). */
  flush(): void {
    for (const [key, w] of this.#windows) if (w.suppressed > 0) this.#report(key, w);
    this.#windows.clear();
  }

  #report(key: string, w: Window): void {
    this.logger.warn(
      { key, suppressed: w.suppressed, windowMs: this.windowMs },
      'similar warnings suppressed (rate limit)',
    );
    w.suppressed = 0;
  }
}
