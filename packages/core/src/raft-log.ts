/**
 * The log store contract. The core reads and writes it synchronously (better-sqlite3 is
 * synchronous, so a durable store fits). Implementations pass
 * `runRaftLogCompliance` from `@raft-io/testkit/compliance`.
 *
 * Shape of the log: entries `firstIndex() .. lastIndex()` follow a compaction point
 * (`firstIndex() - 1`, whose term `term()` still answers). A new log has first index 1,
 * last index 0 and compaction point (0, term 0).
 */
import type { Entry, HardState, Snapshot, SnapshotMetadata } from './types.js';

/**
 * Everything one `step` hands the log: at most one write. Applied in this order:
 * 1. `hardState` replaces the stored hard state;
 * 2. `snapshot` replaces the stored snapshot;
 * 3. `truncateFrom`: entries with index >= it are deleted (a conflicting suffix);
 * 4. `compact`: entries with index <= `compact.index` are deleted and the compaction point
 *    becomes (`index`, `term`); if `index >= lastIndex()` the log is left empty there;
 * 5. `entries` are appended; the first must be `lastIndex() + 1`, indexes consecutive.
 * The write is atomic: after a crash either all of it is there or none of it.
 */
export interface LogWrite {
  readonly hardState?: HardState;
  readonly snapshot?: Snapshot;
  readonly truncateFrom?: number;
  readonly compact?: { readonly index: number; readonly term: number };
  readonly entries?: readonly Entry[];
}

export interface RaftLog {
  /** The last written hard state; `{ term: 0, vote: null, commit: 0 }` for a new log. */
  hardState(): HardState;
  /** The stored snapshot's metadata, or null; cheap (no snapshot bytes are read). */
  snapshotMetadata(): SnapshotMetadata | null;
  /** The stored snapshot with its bytes, or null. */
  snapshot(): Snapshot | null;
  /** Index of the first entry held: compaction point + 1. */
  firstIndex(): number;
  /** Index of the last entry held (`firstIndex() - 1` when no entry is held). */
  lastIndex(): number;
  /**
   * Term of the entry at `index`, for `firstIndex() - 1 <= index <= lastIndex()`.
   * Throws `CompactedError` below that range and `UnavailableError` above it.
   */
  term(index: number): number;
  /**
   * Entries `[lo, hi)`, in order. With `maxBytes`, stops before the entry that would take
   * the total data size past it, but always returns at least one entry when `lo < hi`.
   * Throws `CompactedError` if `lo < firstIndex()` and `UnavailableError` if `hi > lastIndex() + 1`.
   */
  entries(lo: number, hi: number, maxBytes?: number): Entry[];
  /**
   * Optional: the `membership` entries with index in `[lo, hi)`, in order (same range rules
   * as `entries`). A node reads them at start-up, since the newest membership in the log is
   * the one in force; a log that can find them without reading every entry should offer
   * this, otherwise the node pages through the whole log after the snapshot.
   */
  membershipEntries?(lo: number, hi: number): Entry[];
  /** Apply one write (see `LogWrite`). A failure throws `StorageError` and is fatal. */
  write(write: LogWrite): void;
  /**
   * Group commit: a log may hold writes open until `sync()`, which makes every earlier
   * write durable. A log without it is durable when `write` returns.
   */
  sync?(): void;
  /**
   * Optional: `sync` without blocking the caller, for drivers with `asyncStorageWrites`.
   * Resolves once every write made before the call is durable; writes made while it runs are
   * not covered. A failure rejects with `StorageError` and is fatal.
   */
  syncAsync?(): Promise<void>;
  /** Release resources; the log is unusable afterwards. */
  close?(): void;
}
