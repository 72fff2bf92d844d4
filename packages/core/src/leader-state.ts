/**
 * `LeaderState`: everything that exists only while this node leads a term. It is made on
 * election and dropped on step-down, so nothing leader-only outlives the leadership or needs
 * resetting by hand (hashicorp/raft's `leaderState`).
 */
import { LeaderReads } from './read-only.js';
import { Progress } from './tracker/progress.js';
import type { NodeId, Snapshot } from './types.js';

/** A leadership transfer in progress (§3.10). */
export interface Transfer {
  readonly target: NodeId;
  /** Ticks since it started: abandoned after an election timeout. */
  elapsed: number;
}

export class LeaderState {
  /**
   * Replication progress of every other member, plus members just removed ("leaving"), kept
   * until they hold their own removal (see `Progress.leaving`). Leaving members count in no
   * quorum.
   */
  readonly progress = new Map<NodeId, Progress>();
  readonly reads = new LeaderReads();
  /** The leader's own tick count in this term: the clock of the lease. */
  ticks = 0;
  /** Ticks since the last heartbeat broadcast. */
  heartbeatElapsed = 0;
  /** Ticks since the last check-quorum round. */
  checkQuorumElapsed = 0;
  transfer: Transfer | null = null;
  /** A `timeout-now` went out in this term: another node may be elected, so no lease any more. */
  timeoutNowSent = false;
  /**
   * This leader quiesced in this term: its tick clock stopped while quiesced followers may be
   * woken and vote at once (D29), so it serves no lease read for the rest of the term.
   */
  leaseForfeited = false;
  /** Consecutive ticks in which the group had nothing to do (see `leaderMayQuiesce`). */
  idleTicks = 0;
  /** This leader's removal is committed: it hands leadership over, then steps down. */
  handingOver = false;
  /** Bytes of entries appended in this term and not yet applied (flow control of `propose`). */
  uncommittedSize = 0;
  /**
   * The snapshot being sent to followers. A transfer keeps the snapshot it started with until
   * it ends, so a newer local snapshot never restarts it; every transfer in progress shares
   * this one, so at most it and the log's current snapshot are held.
   */
  snapshotInFlight: Snapshot | null = null;

  constructor(
    private readonly maxInflightMsgs: number,
    private readonly maxInflightBytes: number,
  ) {}

  /** Start tracking `id` with its next index at `next`. */
  track(id: NodeId, next: number): Progress {
    const pr = new Progress(next, this.maxInflightMsgs, this.maxInflightBytes);
    this.progress.set(id, pr);
    return pr;
  }

  /** Whether some follower other than `except` is receiving `snapshot`. */
  snapshotInUse(snapshot: Snapshot, except?: Progress): boolean {
    for (const pr of this.progress.values()) {
      if (pr !== except && pr.state === 'snapshot' && pr.snapshot === snapshot) return true;
    }
    return false;
  }
}
