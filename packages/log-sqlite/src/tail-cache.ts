/**
 * `TailCache`: the most recent entries of the log, kept in memory. A leader reads entries
 * right back to send them to followers, and `term()` of recent indexes is asked on every
 * AppendEntries; both are answered here without a query.
 *
 * Invariant: the cache holds a contiguous suffix of the log, `first() .. last` where `last`
 * is the log's last index; it is empty (`first() === last + 1`) when nothing is cached.
 */
import type { Entry } from '@raft-io/core';

export class TailCache {
  /** `items[head + i]` is the entry at index `start + i`; `items[0 .. head)` are evicted. */
  private items: Entry[] = [];
  private head = 0;
  private start: number;
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    lastIndex: number,
  ) {
    this.start = lastIndex + 1;
  }

  /** Index of the first cached entry (`last + 1` when empty). */
  first(): number {
    return this.start;
  }

  size(): number {
    return this.items.length - this.head;
  }

  /** Mean data size of the cached entries in bytes, or `fallback` when none are cached. */
  averageBytes(fallback: number): number {
    const n = this.size();
    return n === 0 ? fallback : this.bytes / n;
  }

  /** The cached entry at `index`, or undefined. */
  get(index: number): Entry | undefined {
    return index >= this.start ? this.items[this.head + index - this.start] : undefined;
  }

  /** Cached entries `[lo, hi)` within `maxBytes` (at least one); `lo` must be cached. */
  slice(lo: number, hi: number, maxBytes: number): Entry[] {
    const from = this.head + lo - this.start;
    const to = Math.min(this.items.length, this.head + hi - this.start);
    if (maxBytes === Number.POSITIVE_INFINITY) return this.items.slice(from, to);
    const out: Entry[] = [];
    let size = 0;
    for (let i = from; i < to; i++) {
      const entry = this.items[i]!;
      size += entry.data.length;
      if (out.length > 0 && size > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  /** Entries were appended after the last index (consecutive with it). */
  append(entries: readonly Entry[]): void {
    for (const entry of entries) {
      this.items.push(entry);
      this.bytes += entry.data.length;
    }
    this.evict();
  }

  /** Entries `>= index` were deleted; the log now ends at `index - 1`. */
  truncateFrom(index: number): void {
    if (index <= this.start) {
      this.reset(index - 1);
      return;
    }
    const keep = this.head + index - this.start;
    for (let i = keep; i < this.items.length; i++) this.bytes -= this.items[i]!.data.length;
    if (keep < this.items.length) this.items.length = keep;
  }

  /** Entries `<= index` were compacted away; `lastIndex` is the log's last index now. */
  compact(index: number, lastIndex: number): void {
    if (index >= lastIndex) {
      this.reset(lastIndex);
      return;
    }
    while (this.start <= index && this.size() > 0) this.dropFirst();
    if (this.size() === 0) this.start = lastIndex + 1;
  }

  /** Empty the cache; the log ends at `lastIndex`. */
  reset(lastIndex: number): void {
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    this.start = lastIndex + 1;
  }

  private evict(): void {
    while (this.size() > 0 && (this.size() > this.maxEntries || this.bytes > this.maxBytes)) this.dropFirst();
    // Reclaim the evicted prefix once it is the larger part, so memory stays bounded.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private dropFirst(): void {
    const entry = this.items[this.head]!;
    this.items[this.head] = undefined as unknown as Entry;
    this.head++;
    this.start++;
    this.bytes -= entry.data.length;
  }
}
