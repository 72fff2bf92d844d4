/**
 * The node's view of its log during a step (etcd's raftLog with its unstable part): the
 * `RaftLog` as last written, plus what this step has appended, truncated, compacted or
 * installed. `flush` hands all of it to the `RaftLog` as one write, which keeps the
 * contract "one step, at most one write".
 */
import { CompactedError, UnavailableError } from './errors.js';
import type { LogWrite, RaftLog } from './raft-log.js';
import type { Entry, HardState, Snapshot, SnapshotMetadata } from './types.js';

export class LogView {
  /** Cached shape of the stored log (valid between flushes). */
  private storedFirst: number;
  private storedLast: number;
  private storedLastTerm: number;

  // What this step changed, not yet written. Invariant: `pending` is consecutive and
  // starts right after `baseLast()`.
  private pending: Entry[] = [];
  private truncateFrom: number | undefined;
  private compactTo: { index: number; term: number } | undefined;
  private snapshotToWrite: Snapshot | undefined;

  constructor(readonly store: RaftLog) {
    this.storedFirst = store.firstIndex();
    this.storedLast = store.lastIndex();
    this.storedLastTerm = store.term(this.storedLast);
  }

  firstIndex(): number {
    return this.compactTo ? this.compactTo.index + 1 : this.storedFirst;
  }

  /** The last index of the stored part once truncation and compaction apply. */
  private baseLast(): number {
    let last = this.storedLast;
    if (this.truncateFrom !== undefined) last = Math.min(last, this.truncateFrom - 1);
    if (this.compactTo) last = Math.max(last, this.compactTo.index);
    return last;
  }

  lastIndex(): number {
    const n = this.pending.length;
    return n > 0 ? this.pending[n - 1]!.index : this.baseLast();
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  /** Term at `index`; throws `CompactedError` / `UnavailableError` outside the log. */
  term(index: number): number {
    const n = this.pending.length;
    if (n > 0 && index >= this.pending[0]!.index) {
      const entry = this.pending[index - this.pending[0]!.index];
      if (entry === undefined) throw new UnavailableError(index);
      return entry.term;
    }
    if (this.compactTo) {
      if (index === this.compactTo.index) return this.compactTo.term;
      if (index < this.compactTo.index) throw new CompactedError(index);
    }
    if (index > this.baseLast()) throw new UnavailableError(index);
    if (index === this.storedLast) return this.storedLastTerm;
    return this.store.term(index);
  }

  /** Term at `index`, or undefined when it is outside the log. */
  termOrUndefined(index: number): number | undefined {
    if (index > this.lastIndex() || index < this.firstIndex() - 1) return undefined;
    return this.term(index);
  }

  matchTerm(index: number, term: number): boolean {
    return this.termOrUndefined(index) === term;
  }

  /** Entries `[lo, hi)`, at most `maxBytes` of data (but at least one entry). */
  entries(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): Entry[] {
    if (lo >= hi) return [];
    if (lo < this.firstIndex()) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1);
    const p0 = this.pending.length > 0 ? this.pending[0]!.index : Number.POSITIVE_INFINITY;
    let out: Entry[] = [];
    let bytes = 0;
    if (lo < p0) {
      out = this.store.entries(lo, Math.min(hi, p0), maxBytes);
      for (const e of out) bytes += e.data.length;
      if (out.length < Math.min(hi, p0) - lo) return out;
    }
    for (let i = Math.max(lo, p0); i < hi; i++) {
      const entry = this.pending[i - p0]!;
      bytes += entry.data.length;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  /**
   * Append `entries` (consecutive), first deleting any entry at or after `entries[0].index`.
   * The caller guarantees `entries[0].index <= lastIndex() + 1` and never truncates a
   * committed entry.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = entries[0]!.index;
    const n = this.pending.length;
    if (n > 0 && first >= this.pending[0]!.index) {
      this.pending.length = first - this.pending[0]!.index;
    } else {
      if (first <= this.baseLast()) this.truncateFrom = Math.min(this.truncateFrom ?? first, first);
      this.pending = [];
    }
    for (const e of entries) this.pending.push(e);
  }

  /** Store `snapshot` and drop the entries through `compactIndex` (at most the snapshot's index). */
  compact(snapshot: Snapshot, compactIndex: number): void {
    this.snapshotToWrite = snapshot;
    if (compactIndex >= this.firstIndex()) {
      this.compactTo = { index: compactIndex, term: this.term(compactIndex) };
    }
  }

  /** Replace the whole log by `snapshot` (install-snapshot from the leader). */
  install(snapshot: Snapshot): void {
    const { index, term } = snapshot.metadata;
    this.pending = [];
    this.snapshotToWrite = snapshot;
    if (this.storedLast >= this.storedFirst) this.truncateFrom = this.storedFirst;
    this.compactTo = { index, term };
  }

  /** The newest snapshot: one stored by this step, else the log's. */
  snapshot(): Snapshot | null {
    return this.snapshotToWrite ?? this.store.snapshot();
  }

  /** Metadata of `snapshot()`, without reading its bytes. */
  snapshotMetadata(): SnapshotMetadata | null {
    return this.snapshotToWrite?.metadata ?? this.store.snapshotMetadata();
  }

  /** Forget everything this step changed (the step failed): the log reads as last written. */
  discard(): void {
    this.pending = [];
    this.truncateFrom = undefined;
    this.compactTo = undefined;
    this.snapshotToWrite = undefined;
  }

  /** Whether anything waits to be written. */
  dirty(): boolean {
    return (
      this.pending.length > 0 ||
      this.truncateFrom !== undefined ||
      this.compactTo !== undefined ||
      this.snapshotToWrite !== undefined
    );
  }

  /**
   * The lowest index whose entry this step changed (appended, truncated, or replaced by an
   * installed snapshot); Infinity when it changed none (a local compaction keeps every entry
   * it covers in the snapshot).
   */
  unflushedFrom(): number {
    let from = Number.POSITIVE_INFINITY;
    if (this.truncateFrom !== undefined) from = this.truncateFrom;
    if (this.pending.length > 0) from = Math.min(from, this.pending[0]!.index);
    if (this.compactTo && this.compactTo.index > this.storedLast) from = Math.min(from, this.storedLast + 1);
    return from;
  }

  /**
   * Hand everything to the `RaftLog` in one write; `hardState` only if it changed. Returns
   * undefined when nothing was written, else `unflushedFrom()` as it was before the write.
   */
  flush(hardState: HardState | undefined): number | undefined {
    if (!this.dirty() && hardState === undefined) return undefined;
    const from = this.unflushedFrom();
    const write: {
      -readonly [K in keyof LogWrite]: LogWrite[K];
    } = {};
    if (hardState) write.hardState = hardState;
    if (this.snapshotToWrite) write.snapshot = this.snapshotToWrite;
    if (this.truncateFrom !== undefined) write.truncateFrom = this.truncateFrom;
    if (this.compactTo) write.compact = this.compactTo;
    if (this.pending.length > 0) write.entries = this.pending;
    const newFirst = this.firstIndex();
    const newLast = this.lastIndex();
    const newLastTerm = this.lastTerm();
    this.store.write(write);
    this.storedFirst = newFirst;
    this.storedLast = newLast;
    this.storedLastTerm = newLastTerm;
    this.pending = [];
    this.truncateFrom = undefined;
    this.compactTo = undefined;
    this.snapshotToWrite = undefined;
    return from;
  }
}
