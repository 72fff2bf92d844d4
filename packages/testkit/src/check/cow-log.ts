/**
 * `CowLog`: a crash-aware `RaftLog` (the semantics of `DurableMemoryLog`: a write is read at
 * once, durable after `sync()`, lost by `crash()`) whose contents are immutable images. A
 * write builds a new frozen image; `sync` and `crash` move one reference; a copy of the log
 * is one small object sharing both images. The model checker copies a node's log with every
 * state, so this makes that copy free, and an image's fingerprint is computed once.
 */
import {
  CompactedError,
  EMPTY_HARD_STATE,
  type Entry,
  type HardState,
  type LogWrite,
  type RaftLog,
  type Snapshot,
  type SnapshotMetadata,
  StorageError,
  UnavailableError,
} from '@raft-io/core';
import { CLONE, deepFreeze } from './graph.js';

/** One version of a log's contents. Frozen. */
export interface LogImage {
  readonly hardState: HardState;
  readonly snapshot: Snapshot | null;
  /** Compaction point: `entries[i]` has index `offset + 1 + i`. */
  readonly offset: number;
  readonly offsetTerm: number;
  readonly entries: readonly Entry[];
}

const EMPTY_IMAGE: LogImage = Object.freeze({
  hardState: EMPTY_HARD_STATE,
  snapshot: null,
  offset: 0,
  offsetTerm: 0,
  entries: Object.freeze([]) as readonly Entry[],
});

/** `image` after `w` (MemoryLog's rules, validated first); `w` is frozen. */
function applyWrite(image: LogImage, w: LogWrite): LogImage {
  let { offset, offsetTerm } = image;
  let entries = image.entries as Entry[];
  let last = offset + entries.length;
  if (w.truncateFrom !== undefined) {
    if (w.truncateFrom <= offset)
      throw new StorageError(`cannot truncate from ${w.truncateFrom}: compacted through ${offset}`);
    if (w.truncateFrom <= last) {
      entries = entries.slice(0, Math.max(0, w.truncateFrom - offset - 1));
      last = offset + entries.length;
    }
  }
  if (w.compact && w.compact.index > offset) {
    const { index, term } = w.compact;
    entries = index >= last ? [] : entries.slice(index - offset);
    offset = index;
    offsetTerm = term;
    last = offset + entries.length;
  }
  if (w.entries && w.entries.length > 0) {
    let expected = last + 1;
    for (const e of w.entries) {
      if (e.index !== expected)
        throw new StorageError(`append out of order: expected index ${expected}, got ${e.index}`);
      expected++;
    }
    entries = entries.concat(w.entries);
  }
  return Object.freeze({
    hardState: w.hardState ?? image.hardState,
    snapshot: w.snapshot ?? image.snapshot,
    offset,
    offsetTerm,
    entries: entries === image.entries ? image.entries : Object.freeze(entries),
  });
}

export class CowLog implements RaftLog {
  /** What a crash would leave. */
  durable: LogImage = EMPTY_IMAGE;
  /** What the node reads. */
  current: LogImage = EMPTY_IMAGE;

  [CLONE](): CowLog {
    const copy = new CowLog();
    copy.durable = this.durable;
    copy.current = this.current;
    return copy;
  }

  hardState(): HardState {
    return this.current.hardState;
  }

  snapshotMetadata(): SnapshotMetadata | null {
    return this.current.snapshot?.metadata ?? null;
  }

  snapshot(): Snapshot | null {
    return this.current.snapshot;
  }

  firstIndex(): number {
    return this.current.offset + 1;
  }

  lastIndex(): number {
    return this.current.offset + this.current.entries.length;
  }

  term(index: number): number {
    const c = this.current;
    if (index < c.offset) throw new CompactedError(index);
    if (index === c.offset) return c.offsetTerm;
    const e = c.entries[index - c.offset - 1];
    if (e === undefined) throw new UnavailableError(index);
    return e.term;
  }

  entries(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): Entry[] {
    const c = this.current;
    if (lo <= c.offset) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1);
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < hi; i++) {
      const e = c.entries[i - c.offset - 1]!;
      bytes += e.data.length;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(e);
    }
    return out;
  }

  membershipEntries(lo: number, hi: number): Entry[] {
    return this.entries(lo, hi).filter((e) => e.type === 'membership');
  }

  /** Apply one write (frozen: the log keeps its entries and shares them between copies). */
  write(write: LogWrite): void {
    this.current = applyWrite(this.current, deepFreeze(write));
  }

  /** Make every write durable. */
  sync(): void {
    this.durable = this.current;
  }

  hasPending(): boolean {
    return this.durable !== this.current;
  }

  /** Lose power: every unsynced write is gone. */
  crash(): void {
    this.current = this.durable;
  }

  /** The durable contents as a read-only log. */
  durableView(): RaftLog {
    const view = new CowLog();
    view.durable = this.durable;
    view.current = this.durable;
    return view;
  }
}
