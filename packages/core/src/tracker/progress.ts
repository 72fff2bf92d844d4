/**
 * The leader's view of one follower (etcd's tracker/progress.go). Three states:
 * - `probe`: the match point is unknown; one AppendEntries at a time, then wait.
 * - `replicate`: the follower is in step; stream AppendEntries optimistically within the
 *   in-flight window.
 * - `snapshot`: the follower needs a snapshot; no appends until it is installed.
 * Invariant: `match < next`.
 */
import type { Snapshot } from '../types.js';
import { Inflights } from './inflights.js';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** A member removed from the membership, kept until it holds the entry that removed it. */
export interface Leaving {
  /** Index of the membership entry that removed it. */
  readonly index: number;
  /** Ticks since that entry was committed. */
  ticks: number;
}

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** In probe: an append was sent and not answered yet (wait before the next one). */
  probeSent = false;
  /** Heard from this follower since the last check-quorum round. */
  recentActive = false;
  /** Ticks since this follower last answered anything. */
  silentTicks = 0;
  /** In snapshot: the snapshot being sent (pinned until the transfer ends). */
  snapshot: Snapshot | null = null;
  /** In snapshot: the next chunk offset the follower wants. */
  snapshotOffset = 0;
  /** The offset of the last chunk sent (-1: none yet). */
  snapshotSent = -1;
  /** Ticks since the last snapshot chunk was sent without an answer (resend when it grows). */
  snapshotIdle = 0;
  /** Set when the member was removed; null for a member. */
  leaving: Leaving | null = null;
  readonly inflights: Inflights;

  constructor(next: number, maxInflightMsgs: number, maxInflightBytes: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflightMsgs, maxInflightBytes);
  }

  /** Index of the snapshot being sent, 0 when none. */
  get snapshotIndex(): number {
    return this.snapshot?.metadata.index ?? 0;
  }

  becomeProbe(): void {
    // After a snapshot, resume right after it; otherwise right after the known match (outside
    // the snapshot state `snapshotIndex` is 0).
    this.next = Math.max(this.match, this.snapshotIndex) + 1;
    this.state = 'probe';
    this.probeSent = false;
    this.snapshot = null;
    this.inflights.reset();
  }

  becomeReplicate(): void {
    this.state = 'replicate';
    this.next = this.match + 1;
    this.probeSent = false;
    this.inflights.reset();
  }

  becomeSnapshot(snapshot: Snapshot): void {
    this.state = 'snapshot';
    this.snapshot = snapshot;
    this.snapshotOffset = 0;
    this.snapshotSent = -1;
    this.snapshotIdle = 0;
    this.probeSent = false;
    this.inflights.reset();
  }

  /** The follower acknowledged `index`. Returns true if that was news. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (index > this.match) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * The follower rejected an append at `rejected` with back-off hint `hint`. Returns false if
   * the rejection is stale (out of order) and was ignored.
   */
  maybeDecrease(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      // In replicate, only a rejection of something past the match point is news.
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    // In probe, only the rejection of the append we are waiting for counts.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  /** Whether the leader should hold back appends to this follower now. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
