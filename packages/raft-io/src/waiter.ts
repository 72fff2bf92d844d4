/**
 * `Waiter`: one caller waiting for the server (a proposal, a read, a membership change, a
 * transfer). It owns the caller's promise, its deadline timer and its abort listener, and
 * settles exactly once: the first of result, error, timeout or abort wins, and the timer and
 * listener are released at once so a settled waiter holds no handle.
 */
import { AbortedError, TimeoutError } from './errors.js';

export interface WaiterOptions {
  /** Reject with `TimeoutError` after this many ms; 0 or undefined: no deadline. */
  readonly timeoutMs?: number;
  /** Reject with `AbortedError` when it fires. */
  readonly signal?: AbortSignal;
  /** What is waited for, for the timeout message. */
  readonly what: string;
  /** Called once, right after the waiter settles. */
  readonly onSettle?: (ok: boolean, error: unknown) => void;
}

export class Waiter<T> {
  readonly promise: Promise<T>;
  /** `performance.now()` when the wait began, for latency metrics. */
  readonly startedAt = performance.now();
  private settled = false;
  private resolveFn!: (value: T) => void;
  private rejectFn!: (error: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort: (() => void) | undefined;
  private readonly onSettle: WaiterOptions['onSettle'];

  constructor(options: WaiterOptions) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    this.onSettle = options.onSettle;
    const { timeoutMs, signal } = options;
    if (signal?.aborted) {
      this.reject(new AbortedError(signal.reason));
      return;
    }
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.timer = setTimeout(() => this.reject(new TimeoutError(timeoutMs, options.what)), timeoutMs);
    }
    if (signal) {
      this.signal = signal;
      this.onAbort = () => this.reject(new AbortedError(signal.reason));
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  /** True once resolved or rejected. */
  get done(): boolean {
    return this.settled;
  }

  resolve(value: T): void {
    if (this.settle(true, undefined)) this.resolveFn(value);
  }

  reject(error: unknown): void {
    if (this.settle(false, error)) this.rejectFn(error);
  }

  private settle(ok: boolean, error: unknown): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.signal && this.onAbort) this.signal.removeEventListener('abort', this.onAbort);
    this.onSettle?.(ok, error);
    return true;
  }
}
