/**
 * `VolatileLog`: a `RaftLog` with a page cache, for core's tests of asynchronous storage
 * writes (D21). Writes change what the node reads at once; `syncFirst(n)` makes the oldest n
 * open writes durable; `crash()` loses every write not made durable (they reach the disk in
 * order, so what survives is always a prefix). (testkit's `DurableMemoryLog` is the same
 * idea for the simulator; core cannot depend on testkit.)
 */
import {
  type Entry,
  type HardState,
  type LogWrite,
  MemoryLog,
  type RaftLog,
  type Snapshot,
  type SnapshotMetadata,
} from '../../src/index.js';

export class VolatileLog implements RaftLog {
  private durable = new MemoryLog();
  private current = new MemoryLog();
  private readonly open: LogWrite[] = [];

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
    this.current.write(write);
    this.open.push(write);
  }

  /** Writes not durable yet. */
  openWrites(): number {
    return this.open.length;
  }

  /** Make the oldest `n` open writes durable. */
  syncFirst(n: number): void {
    for (const write of this.open.splice(0, n)) this.durable.write(write);
  }

  /** Lose power: only what was made durable is left. */
  crash(): void {
    this.open.length = 0;
    this.current = copyOf(this.durable);
  }

  /** The durable state alone, as a restart would read it. */
  durableCopy(): MemoryLog {
    return copyOf(this.durable);
  }
}

function copyOf(log: MemoryLog): MemoryLog {
  const copy = new MemoryLog();
  const first = log.firstIndex();
  const last = log.lastIndex();
  const snapshot = log.snapshot();
  copy.write({
    hardState: log.hardState(),
    ...(snapshot ? { snapshot } : {}),
    ...(first > 1 ? { compact: { index: first - 1, term: log.term(first - 1) } } : {}),
    entries: last >= first ? log.entries(first, last + 1) : [],
  });
  return copy;
}
