/**
 * `DurabilityTracker`: the `RaftLog` the server hands its `RaftNode`. It passes every call
 * through to the real log and remembers whether a write is waiting to be made durable, so
 * the driver calls `sync()` once per batch and only when something was written (group
 * commit), and it counts writes and syncs for metrics and the group-commit benchmark.
 *
 * A write that only moves the commit index (hard state with the same term and vote, nothing
 * else) does not need a sync before the batch's sends and applies, as in etcd's `MustSync`:
 * the commit index is only a hint that a restarted node re-learns from the leader (it may
 * re-apply from its last snapshot either way), and the next sync, or the log's close, makes
 * it durable together with everything before it.
 *
 * For the same reason a write that only moves the commit index is not even written at once:
 * it is held in memory and goes into the log with the next write (or before the next sync,
 * or on close). Each SQLite transaction costs at least one 4 KiB WAL frame that the next
 * fsync must carry, and a leader under load moves its commit index in almost every step: held
 * back, a batch of acknowledgements costs one frame instead of one each.
 */
import type { Entry, HardState, LogWrite, NodeId, RaftLog, Snapshot, SnapshotMetadata } from '@raft-io/core';

export class DurabilityTracker implements RaftLog {
  /** `write()` calls so far. */
  writes = 0;
  /** `sync()` calls made on the inner log so far. */
  syncs = 0;
  /** Called with every write once the inner log took it (the server's `LogBytes` follows the log). */
  onWrite: ((write: LogWrite) => void) | undefined;
  private dirty = false;
  /** A commit-only hard state not yet handed to the inner log (see the module comment). */
  private heldHardState: HardState | null = null;
  /** Term and vote of the last hard state written. */
  private lastTerm: number;
  private lastVote: NodeId | null;

  /**
   * @param inner the real log.
   * @param groupCommit whether `inner.sync()` makes earlier writes durable (true) or writes
   *   are durable on return and `sync` is a no-op or absent (false).
   */
  constructor(
    readonly inner: RaftLog,
    readonly groupCommit: boolean = typeof inner.sync === 'function',
  ) {
    if (inner.membershipEntries) this.membershipEntries = (lo, hi) => inner.membershipEntries!(lo, hi);
    const hs = inner.hardState();
    this.lastTerm = hs.term;
    this.lastVote = hs.vote;
  }

  /** Durable writes so far: syncs for a group-commit log, else writes. */
  get durableWrites(): number {
    return this.groupCommit ? this.syncs : this.writes;
  }

  hardState(): HardState {
    return this.heldHardState ?? this.inner.hardState();
  }

  snapshotMetadata(): SnapshotMetadata | null {
    return this.inner.snapshotMetadata();
  }

  snapshot(): Snapshot | null {
    return this.inner.snapshot();
  }

  firstIndex(): number {
    return this.inner.firstIndex();
  }

  lastIndex(): number {
    return this.inner.lastIndex();
  }

  term(index: number): number {
    return this.inner.term(index);
  }

  entries(lo: number, hi: number, maxBytes?: number): Entry[] {
    return this.inner.entries(lo, hi, maxBytes);
  }

  /** Passed through when the inner log has it (the node reads it at start-up). */
  readonly membershipEntries?: (lo: number, hi: number) => Entry[];

  write(write: LogWrite): void {
    this.writes++;
    // Every write, a held commit-only one too (peer health follows the log's bytes).
    this.onWrite?.(write);
    const hs = write.hardState;
    const votedOrNewTerm = hs !== undefined && (hs.term !== this.lastTerm || hs.vote !== this.lastVote);
    const onlyCommit =
      hs !== undefined &&
      !votedOrNewTerm &&
      write.entries === undefined &&
      write.truncateFrom === undefined &&
      write.snapshot === undefined &&
      write.compact === undefined;
    if (onlyCommit) {
      this.heldHardState = hs;
      return;
    }
    const held = this.heldHardState;
    this.heldHardState = null;
    this.inner.write(held !== null && hs === undefined ? { ...write, hardState: held } : write);
    if (hs) {
      this.lastTerm = hs.term;
      this.lastVote = hs.vote;
    }
    if (
      votedOrNewTerm ||
      write.entries !== undefined ||
      write.truncateFrom !== undefined ||
      write.snapshot !== undefined ||
      write.compact !== undefined
    ) {
      this.dirty = true;
    }
  }

  /**
   * Make every write that must be durable before the batch's sends and applies durable.
   * Returns true if a sync of the inner log ran (false when nothing that needs one was
   * written since the last one, or the log has no `sync`).
   */
  sync(): boolean {
    this.flushHeld();
    if (!this.dirty) return false;
    this.dirty = false;
    if (!this.groupCommit || typeof this.inner.sync !== 'function') return false;
    this.syncs++;
    this.inner.sync();
    return true;
  }

  /** Whether the inner log can make writes durable without blocking (`syncAsync`). */
  get canSyncAsync(): boolean {
    return this.groupCommit && typeof this.inner.syncAsync === 'function';
  }

  /**
   * `sync` on the thread pool (asynchronous storage writes): covers the writes made before
   * the call. Resolves true once a sync of the inner log ran, false when nothing needed one.
   * The caller keeps one in flight at a time.
   */
  syncInBackground(): Promise<boolean> {
    this.flushHeld();
    if (!this.dirty) return Promise.resolve(false);
    this.dirty = false;
    this.syncs++;
    return this.inner.syncAsync!().then(() => true);
  }

  close(): void {
    this.flushHeld();
    this.inner.close?.();
  }

  /** Hand a held commit-only hard state to the inner log (it needs no sync of its own). */
  private flushHeld(): void {
    const held = this.heldHardState;
    if (held === null) return;
    this.heldHardState = null;
    this.inner.write({ hardState: held });
  }
}
