/**
 * ReadIndex bookkeeping (dissertation §6.4, etcd's read_only.go). The leader records the
 * commit index when a read arrives, then confirms it is still the leader by a heartbeat
 * round: every read registered before round `seq` is confirmed once a quorum has answered
 * a heartbeat of round `seq` or later. Reads from every step share one round.
 */
import type { NodeId } from './types.js';

export interface PendingRead {
  readonly id: string;
  /** Who asked: this node, or a follower that forwarded its read. */
  readonly from: NodeId;
  /** The read index: the leader's commit index when the read arrived. */
  readonly index: number;
  /** The heartbeat round that confirms it. */
  readonly seq: number;
}

export class ReadIndexRounds {
  /** The latest round broadcast. */
  private seq = 0;
  /** Reads registered since the last broadcast; they join round `seq + 1`. */
  private unsent = 0;
  private pending: PendingRead[] = [];
  /** The highest round each peer has answered. */
  private acks = new Map<NodeId, number>();

  add(id: string, from: NodeId, index: number): void {
    this.pending.push({ id, from, index, seq: this.seq + 1 });
    this.unsent++;
  }

  /** Opens a round if reads are waiting for one; returns its number, or 0. */
  openRound(): number {
    if (this.unsent === 0) return 0;
    this.unsent = 0;
    return ++this.seq;
  }

  /** The current round, carried by every heartbeat. */
  currentRound(): number {
    return this.seq;
  }

  ack(from: NodeId, round: number): void {
    if (round > (this.acks.get(from) ?? 0)) this.acks.set(from, round);
  }

  acked(id: NodeId, self: NodeId): number {
    return id === self ? this.seq : (this.acks.get(id) ?? 0);
  }

  /** Remove and return the reads of rounds up to `round`, in arrival order. */
  release(round: number): PendingRead[] {
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.seq <= round) n++;
    if (n === 0) return [];
    const out = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    return out;
  }

  /** Drop everything (leadership lost); returns the reads that were waiting. */
  clear(): PendingRead[] {
    const out = this.pending;
    this.pending = [];
    this.unsent = 0;
    this.acks.clear();
    return out;
  }

  size(): number {
    return this.pending.length;
  }
}
