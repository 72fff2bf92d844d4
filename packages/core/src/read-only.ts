/**
 * Linearizable reads (dissertation §6.4, etcd's read_only.go), all in one place:
 *
 * - `readDecision`: the one predicate for how a read on the leader is served: at once, after
 *   a heartbeat round, or once an entry of the leader's term is committed.
 * - `LeaderReads` (part of `LeaderState`): heartbeat rounds, who acknowledged which round,
 *   the reads waiting on a round, and the lease computed from those acknowledgements.
 * - `NodeReads`: reads this node forwarded to its leader and confirmed reads waiting for the
 *   state machine to reach their index.
 *
 * Every leader heartbeat opens a new round numbered `round` and stamped with the leader's tick;
 * a follower echoes the round in its answer. A read registered before round `r` was sent is
 * confirmed once a quorum of voters answered round `r` or later: then the leader was still
 * the leader after the read arrived, and its commit index then covers every commit completed
 * before the read started.
 *
 * The lease: a follower that answered a heartbeat refuses to vote for anyone else for
 * `electionTick` of its own ticks (leader stickiness; a restarted node likewise waits one
 * election timeout before it votes). So no other leader can exist until `electionTick` ticks
 * after the send tick of the oldest round among the newest rounds a quorum acknowledged in
 * this term. The leader keeps a margin for the tick phase (1 tick) and for clocks that run at
 * different rates (⌈electionTick / 10⌉ ticks): see `leaseTicks`.
 */
import { jointCommitted } from './quorum/joint.js';
import type { Membership, NodeId } from './types.js';

/** How the leader serves a read arriving now. */
export type ReadDecision =
  /** Serve at the current commit index now: a quorum of one (this node), or a valid lease. */
  | 'serve-now'
  /** Confirm leadership with a heartbeat round first (ReadIndex). */
  | 'heartbeat-round'
  /** Wait: the commit index is not known to be the cluster's until an entry of this term commits. */
  | 'await-term-commit';

/** The facts `readDecision` decides on. */
export interface ReadFacts {
  readonly term: number;
  /** `log.term(commit) === term`. */
  readonly committedEntryInCurrentTerm: boolean;
  /** The only voter (in both halves of a joint membership) is this node. */
  readonly soleVoterIsSelf: boolean;
  /** `leaseRead` is on and the lease has not expired (see `LeaderReads.leaseValid`). */
  readonly leaseValid: boolean;
}

/**
 * The one predicate for serving a read on the leader. Until an entry of its own term is
 * committed, a new leader's commit index may lag the cluster's (earlier leaders may have
 * committed entries it holds uncommitted), so every read waits for that, except in term 1,
 * where no earlier leader exists. Then a read is served at once only when no other node
 * could be leader: this node is the only voter, or the lease holds.
 */
export function readDecision(f: ReadFacts): ReadDecision {
  if (!f.committedEntryInCurrentTerm && f.term > 1) return 'await-term-commit';
  if (f.soleVoterIsSelf) return 'serve-now';
  // A lease needs an in-term commit even in term 1 (`leaseValid` includes it).
  if (f.leaseValid) return 'serve-now';
  return 'heartbeat-round';
}

/**
 * How many ticks a lease lasts after the send tick it starts from: `electionTick` minus one
 * tick of phase (a follower's timeout may fire up to one tick early relative to the leader's
 * clock) minus ⌈electionTick / 10⌉ for clock rate differences. Safe when no node's tick
 * interval is more than 10% longer than another's (see docs/API.md, "Lease reads").
 */
export function leaseTicks(electionTick: number): number {
  return Math.max(0, electionTick - 1 - Math.ceil(electionTick / 10));
}

/** A read waiting on the leader: its own (`from` is the leader) or one a follower forwarded. */
export interface PendingRead {
  readonly id: string;
  /** Who asked: this node, or a follower that forwarded its read. */
  readonly from: NodeId;
}

/** A read with its read index, waiting for a heartbeat round. */
interface RoundRead extends PendingRead {
  /** The leader's commit index when the read arrived. */
  readonly index: number;
  /** The first round sent after the read arrived: it confirms the read. */
  readonly round: number;
}

/** Most reads a leader holds waiting; beyond it a read fails at once (the caller retries). */
export const MAX_PENDING_READS = 1 << 16;

/** The leader's read state for one term. Created on election, dropped on step-down. */
export class LeaderReads {
  /** The newest round sent. Invariant: every ack is at most `round`. */
  private round = 0;
  /** The leader tick at which each recent round was sent (older ones are forgotten). */
  private readonly sentAt = new Map<number, number>();
  /** The newest round each peer answered in this term. */
  private readonly acks = new Map<NodeId, number>();
  /** Reads waiting for a round, in arrival order (so rounds are non-decreasing). */
  private waiting: RoundRead[] = [];
  /** Reads that arrived before an entry of this term was committed. */
  private awaitingCommit: PendingRead[] = [];
  /** A read joined the next round, which is not sent yet. */
  private roundWanted = false;

  /** Reads held (waiting for a round or for the in-term commit). */
  size(): number {
    return this.waiting.length + this.awaitingCommit.length;
  }

  full(): boolean {
    return this.size() >= MAX_PENDING_READS;
  }

  /** Hold a read until an entry of this term is committed. */
  awaitCommit(read: PendingRead): void {
    this.awaitingCommit.push(read);
  }

  /** The reads held for the in-term commit, now released to be decided again. */
  takeAwaitingCommit(): PendingRead[] {
    const out = this.awaitingCommit;
    this.awaitingCommit = [];
    return out;
  }

  /** Register a read at `index`: the next round confirms it. */
  register(read: PendingRead, index: number): void {
    this.waiting.push({ ...read, index, round: this.round + 1 });
    this.roundWanted = true;
  }

  /** Whether a registered read waits for a round that is not sent yet. */
  needsRound(): boolean {
    return this.roundWanted;
  }

  /** A heartbeat round goes out at leader tick `tick`; returns its number. */
  openRound(tick: number, electionTick: number): number {
    this.roundWanted = false;
    this.round++;
    this.sentAt.set(this.round, tick);
    // Rounds older than an election timeout can no longer extend a lease.
    for (const [r, t] of this.sentAt) {
      if (t >= tick - electionTick) break;
      this.sentAt.delete(r);
    }
    return this.round;
  }

  /** `peer` answered round `round` (a round never sent is ignored). */
  ack(peer: NodeId, round: number): void {
    if (round > this.round || round <= (this.acks.get(peer) ?? 0)) return;
    this.acks.set(peer, round);
  }

  /**
   * Remove and return the reads confirmed by the acknowledgements so far: a quorum of the
   * voters of `membership` answered their round or a later one. This node counts (it is at
   * the newest round) only if it is a voter.
   */
  releaseConfirmed(membership: Membership, self: NodeId): RoundRead[] {
    if (this.waiting.length === 0) return [];
    const confirmed = jointCommitted(membership, (id) =>
      id === self ? this.round : (this.acks.get(id) ?? 0),
    );
    let n = 0;
    while (n < this.waiting.length && this.waiting[n]!.round <= confirmed) n++;
    const out = this.waiting.slice(0, n);
    this.waiting = this.waiting.slice(n);
    return out;
  }

  /**
   * The tick the lease runs from: the largest send tick T such that a quorum of voters
   * answered a round sent at T or later in this term (this node, if a voter, counts as `now`).
   * -Infinity when no quorum has answered anything recent.
   */
  leaseStart(membership: Membership, self: NodeId, now: number): number {
    return jointCommitted(membership, (id) => {
      if (id === self) return now;
      // Round 0 is never sent, so a peer that answered nothing yet has no send tick.
      return this.sentAt.get(this.acks.get(id) ?? 0) ?? Number.NEGATIVE_INFINITY;
    });
  }

  /** Every read held, for failing them on step-down. */
  drain(): PendingRead[] {
    const out: PendingRead[] = [...this.waiting, ...this.awaitingCommit];
    this.waiting = [];
    this.awaitingCommit = [];
    this.roundWanted = false;
    return out;
  }
}

/** A confirmed read waiting for the state machine to reach its index. */
export interface ReadyRead {
  readonly id: string;
  readonly index: number;
}

/** A node's own read bookkeeping, in any role. */
export class NodeReads {
  /** Reads forwarded to the leader, awaiting its answer. */
  private readonly forwarded = new Set<string>();
  /** Confirmed reads waiting for `applied` to reach their index, in confirmation order. */
  private ready: ReadyRead[] = [];

  forward(id: string): void {
    this.forwarded.add(id);
  }

  /** Reads forwarded or confirmed and not yet released. */
  size(): number {
    return this.forwarded.size + this.ready.length;
  }

  /** The leader answered forwarded read `id`; false if it is not ours (any more). */
  answered(id: string): boolean {
    return this.forwarded.delete(id);
  }

  /** Forget every forwarded read (the leader changed); returns their ids to fail. */
  dropForwarded(): string[] {
    const ids = [...this.forwarded];
    this.forwarded.clear();
    return ids;
  }

  confirmed(read: ReadyRead): void {
    this.ready.push(read);
  }

  /** The confirmed reads whose index is applied, removed from the queue in order. */
  releaseApplied(applied: number): ReadyRead[] {
    if (this.ready.length === 0) return [];
    const out: ReadyRead[] = [];
    const waiting: ReadyRead[] = [];
    for (const read of this.ready) (read.index <= applied ? out : waiting).push(read);
    this.ready = waiting;
    return out;
  }
}
