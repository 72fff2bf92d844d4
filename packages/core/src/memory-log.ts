/**
 * `MemoryLog`: the in-memory `RaftLog`. It keeps everything handed to it, like a disk that
 * never loses a write, so a new `RaftNode` on the same instance is a restart.
 */
import { CompactedError, StorageError, UnavailableError } from './errors.js';
import type { LogWrite, RaftLog } from './raft-log.js';
import {
  EMPTY_HARD_STATE,
  type Entry,
  type HardState,
  type Snapshot,
  type SnapshotMetadata,
} from './types.js';

export class MemoryLog implements RaftLog {
  private state: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot | null = null;
  /** Compaction point: `entries[i]` has index `offset + 1 + i`. */
  private offset = 0;
  private offsetTerm = 0;
  private log: Entry[] = [];

  hardState(): HardState {
    return this.state;
  }

  snapshotMetadata(): SnapshotMetadata | null {
    return this.snap?.metadata ?? null;
  }

  snapshot(): Snapshot | null {
    return this.snap;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.offset + this.log.length;
  }

  term(index: number): number {
    if (index < this.offset) throw new CompactedError(index);
    if (index === this.offset) return this.offsetTerm;
    const entry = this.log[index - this.offset - 1];
    if (entry === undefined) throw new UnavailableError(index);
    return entry.term;
  }

  entries(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): Entry[] {
    if (lo <= this.offset) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1);
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < hi; i++) {
      const entry = this.log[i - this.offset - 1]!;
      bytes += entry.data.length;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  membershipEntries(lo: number, hi: number): Entry[] {
    return this.entries(lo, hi).filter((e) => e.type === 'membership');
  }

  write(write: LogWrite): void {
    this.validate(write);
    if (write.hardState) this.state = write.hardState;
    if (write.snapshot) this.snap = write.snapshot;
    if (write.truncateFrom !== undefined) {
      this.log.length = Math.min(this.log.length, Math.max(0, write.truncateFrom - this.offset - 1));
    }
    if (write.compact && write.compact.index > this.offset) {
      const { index, term } = write.compact;
      this.log = this.log.slice(index - this.offset); // empty when the snapshot is past the end
      this.offset = index;
      this.offsetTerm = term;
    }
    if (write.entries) for (const entry of write.entries) this.log.push(entry);
  }

  /** Check a write before changing anything, so a bad write leaves the log as it was. */
  private validate(write: LogWrite): void {
    const offset = this.offset;
    let last = this.lastIndex();
    if (write.truncateFrom !== undefined) {
      if (write.truncateFrom <= offset) {
        throw new StorageError(`cannot truncate from ${write.truncateFrom}: compacted through ${offset}`);
      }
      last = Math.min(last, write.truncateFrom - 1);
    }
    // Appends follow the compaction point when it is past the last entry.
    if (write.compact) last = Math.max(last, write.compact.index);
    let expected = last + 1;
    for (const entry of write.entries ?? []) {
      if (entry.index !== expected) {
        throw new StorageError(`append out of order: expected index ${expected}, got ${entry.index}`);
      }
      expected++;
    }
  }
}
