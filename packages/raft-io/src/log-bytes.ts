/**
 * `LogBytes`: how many bytes of entry data lie between two indexes of the server's log, in
 * O(1), so that the leader can say how far behind a follower is in bytes as well as entries
 * (a follower 10 entries behind may need 10 KiB or 10 MiB).
 *
 * It watches every write the node hands its log (`DurabilityTracker.onWrite`) and keeps the
 * running total of data bytes per index: `total(i)` is the bytes of every entry up to `i`
 * from an arbitrary origin, so the bytes of `(from, to]` are `total(to) - total(from)`.
 * Entries that were in the log before the server started are read from the log the first
 * time a question reaches them, once. Memory: 8 bytes per tracked entry, at most
 * `maxEntries` entries (the newest); a question about older entries has no answer (null).
 *
 * Invariant: `totals[k]` is the running total at index `base + 1 + k`, for `k < count`, and
 * `baseTotal` the total at `base` (entries at or below `base` are not tracked).
 */
import type { LogWrite, RaftLog } from '@raft-io/core';

/** Default bound on tracked entries: 1,048,576 entries, 8 MiB of memory. */
export const LOG_BYTES_MAX_ENTRIES = 1 << 20;

/** Bytes read per page when entries older than the tracked range are loaded. */
const PAGE_BYTES = 4 * 1024 * 1024;

export class LogBytes {
  private base: number;
  private baseTotal = 0;
  private totals: Float64Array;
  private count = 0;

  constructor(
    private readonly log: RaftLog,
    private readonly maxEntries = LOG_BYTES_MAX_ENTRIES,
  ) {
    // Nothing is known yet: entries already in the log are loaded when a question needs them.
    this.base = log.lastIndex();
    this.totals = new Float64Array(Math.min(1024, maxEntries));
  }

  /** Index of the newest tracked entry. */
  private get last(): number {
    return this.base + this.count;
  }

  private totalAt(index: number): number {
    return index === this.base ? this.baseTotal : this.totals[index - this.base - 1]!;
  }

  /** Follow one write handed to the log (after it succeeded). */
  observe(write: LogWrite): void {
    if (write.truncateFrom !== undefined) this.truncateFrom(write.truncateFrom);
    if (write.compact !== undefined) this.compact(write.compact.index);
    const entries = write.entries;
    if (entries === undefined || entries.length === 0) return;
    if (entries[0]!.index !== this.last + 1) {
      // Not contiguous with what is tracked (cannot happen through the core): start over.
      this.base = entries[0]!.index - 1;
      this.baseTotal = 0;
      this.count = 0;
    }
    for (const e of entries) this.push(e.data.length);
  }

  /**
   * Data bytes of the entries in `(from, to]` that the log holds (entries compacted into the
   * snapshot count for nothing), or null when some of them are past the tracked bound.
   */
  between(from: number, to: number): number | null {
    if (to <= from) return 0;
    const floor = this.log.firstIndex() - 1;
    const lo = Math.max(from, floor);
    if (to > this.last || lo >= to) return lo >= to ? 0 : null;
    if (lo < this.base && !this.loadBefore(lo)) return null;
    return this.totalAt(to) - this.totalAt(lo);
  }

  private push(bytes: number): void {
    if (this.count === this.maxEntries) this.dropOldest(this.count >> 1);
    if (this.count === this.totals.length) {
      const grown = new Float64Array(Math.min(this.maxEntries, this.totals.length * 2));
      grown.set(this.totals.subarray(0, this.count));
      this.totals = grown;
    }
    const previous = this.count === 0 ? this.baseTotal : this.totals[this.count - 1]!;
    this.totals[this.count++] = previous + bytes;
  }

  private truncateFrom(index: number): void {
    if (index > this.last) return;
    if (index <= this.base + 1) {
      // Everything tracked is gone; what lies below `index` is loaded again when asked.
      this.base = index - 1;
      this.baseTotal = 0;
      this.count = 0;
      return;
    }
    this.count = index - this.base - 1;
  }

  private compact(index: number): void {
    if (index <= this.base) return;
    if (index >= this.last) {
      this.base = index;
      this.baseTotal = 0;
      this.count = 0;
      return;
    }
    this.dropOldest(index - this.base);
  }

  private dropOldest(n: number): void {
    this.baseTotal = this.totals[n - 1]!;
    this.totals.copyWithin(0, n, this.count);
    this.count -= n;
    this.base += n;
  }

  /**
   * Load the entries `(index, base]` from the log (they were there before tracking began, or
   * below a truncation), so that `index` is tracked. False when that would pass the bound.
   */
  private loadBefore(index: number): boolean {
    const missing = this.base - index;
    if (missing + this.count > this.maxEntries) return false;
    const sizes = new Float64Array(missing);
    let at = 0;
    for (let i = index + 1; i <= this.base; ) {
      const page = this.log.entries(i, this.base + 1, PAGE_BYTES);
      for (const e of page) sizes[at++] = e.data.length;
      i += page.length;
    }
    const totals = new Float64Array(Math.max(this.totals.length, missing + this.count));
    // Running totals of the loaded entries from 0 at `index`, then the tracked ones shifted
    // by the total at the old base, so that differences stay the same.
    let running = 0;
    for (let k = 0; k < missing; k++) {
      running += sizes[k]!;
      totals[k] = running;
    }
    const shift = running - this.baseTotal;
    for (let k = 0; k < this.count; k++) totals[missing + k] = this.totals[k]! + shift;
    this.totals = totals;
    this.count += missing;
    this.base = index;
    this.baseTotal = 0;
    return true;
  }
}
