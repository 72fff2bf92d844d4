/**
 * `DurableMemoryLog`: a `RaftLog` with core `MemoryLog` semantics and a volatile write layer,
 * to model a disk with a page cache. `write` changes what the node reads at once, but only
 * `sync()` makes it durable; `crash()` throws away every write since the last sync (or all
 * but a prefix of them, as a crash in the middle of a group commit would), and the log then
 * reads as the durable state. A `RaftNode` built on it after `crash()` is a restart that kept
 * exactly what was made durable.
 */

import type { Entry, HardState, Snapshot, SnapshotMetadata } from '@raft-io/core';
import { type LogWrite, MemoryLog, type RaftLog } from '@raft-io/core';

/**
 * Called with every write, after it has been applied to the volatile layer; `prior` is the
 * log's shape just before it.
 */
export type LogWriteObserver = (write: LogWrite, prior: { lastIndex: number; firstIndex: number }) => void;

export class DurableMemoryLog implements RaftLog {
  private durable = new MemoryLog();
  private current = new MemoryLog();
  private readonly pending: LogWrite[] = [];
  private observer: LogWriteObserver | null = null;
  private closed = false;
  /** Number of `sync()` calls that made at least one write durable. */
  syncs = 0;
  /** Number of `write()` calls. */
  writes = 0;

  /** Watch every write (the simulator's checkers do); null to stop. */
  observe(observer: LogWriteObserver | null): void {
    this.observer = observer;
  }

  hardState(): HardState {
    return this.current.hardState();
  }

  snapshotMetadata(): SnapshotMetadata | null {
    return this.current.snapshotMetadata();
  }

  snapshot(): Snapshot | null {
    return this.current.snapshot();
  }

  firstIndex(): number {
    return this.current.firstIndex();
  }

  lastIndex(): number {
    return this.current.lastIndex();
  }

  term(index: number): number {
    return this.current.term(index);
  }

  entries(lo: number, hi: number, maxBytes?: number): Entry[] {
    return this.current.entries(lo, hi, maxBytes);
  }

  write(write: LogWrite): void {
    const prior = this.observer
      ? { lastIndex: this.current.lastIndex(), firstIndex: this.current.firstIndex() }
      : null;
    this.current.write(write);
    this.writes++;
    this.pending.push(write);
    if (prior) this.observer?.(write, prior);
  }

  /** Make every earlier write durable. */
  sync(): void {
    if (this.pending.length === 0) return;
    for (const write of this.pending) this.durable.write(write);
    this.pending.length = 0;
    this.syncs++;
  }

  /**
   * Make the oldest `n` open writes durable (a disk that finished part of what it was given;
   * the simulator's asynchronous-writes mode reports durability a write number at a time).
   */
  syncFirst(n: number): void {
    const done = this.pending.splice(0, Math.max(0, n));
    for (const write of done) this.durable.write(write);
    if (done.length > 0) this.syncs++;
  }

  /** The hard state as last made durable. */
  durableHardState(): HardState {
    return this.durable.hardState();
  }

  /** Whether some writes are not durable yet. */
  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Number of writes not durable yet. */
  pendingWrites(): number {
    return this.pending.length;
  }

  /**
   * Lose power: the writes since the last `sync()` are gone, except the first `keep` of them
   * (each write is atomic and they reach the disk in order, so a crash keeps a prefix).
   * Afterwards the log reads as its durable state; build a new `RaftNode` on it to restart.
   */
  crash(keep = 0): void {
    const kept = this.pending.slice(0, Math.max(0, keep));
    for (const write of kept) this.durable.write(write);
    this.pending.length = 0;
    this.current = cloneMemoryLog(this.durable);
  }

  /** The durable state as a new `MemoryLog` (what a restart would read). */
  durableCopy(): MemoryLog {
    return cloneMemoryLog(this.durable);
  }

  close(): void {
    this.closed = true;
  }

  /** Whether `close()` was called. */
  isClosed(): boolean {
    return this.closed;
  }
}

/** A deep-enough copy of a `MemoryLog`: entries and snapshots are immutable, so shared. */
export function cloneMemoryLog(log: RaftLog): MemoryLog {
  const copy = new MemoryLog();
  const first = log.firstIndex();
  const last = log.lastIndex();
  const snapshot = log.snapshot();
  const write: {
    hardState: HardState;
    snapshot?: Snapshot;
    compact?: { index: number; term: number };
    entries: Entry[];
  } = {
    hardState: log.hardState(),
    entries: last >= first ? log.entries(first, last + 1) : [],
  };
  if (snapshot) write.snapshot = snapshot;
  if (first > 1) write.compact = { index: first - 1, term: log.term(first - 1) };
  copy.write(write);
  return copy;
}
