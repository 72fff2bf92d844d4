/**
 * Leader Completeness (§5.4, Figure 3): if an entry is committed in a given term, it is in
 * the log of the leader of every higher term.
 *
 * Each node's commit index is watched after every step. An index a node first sees committed
 * while in term τ was committed in a term <= τ (a node learns commits from the leader of its
 * term, or from its own durable state), so the entry is recorded with "committed by term" =
 * the lowest such τ. A new leader of term T must hold every entry committed by a term < T,
 * and an entry newly committed by term τ must be in the log of every current leader of a
 * term > τ. Two different entries committed at one index are a State Machine Safety failure.
 * Entries compacted behind a snapshot are skipped (their state is in the snapshot).
 */
import type { NodeId, RaftLog } from '@raft-io/core';
import type { Checker, NodeSnapshot, Report } from './checker.js';
import { termAt } from './term-at.js';

interface Committed {
  readonly term: number;
  /** The lowest term of a node that knew it committed. */
  by: number;
  readonly node: NodeId;
}

export class LeaderCompleteness implements Checker {
  readonly property = 'leader-completeness' as const;
  private readonly committed = new Map<number, Committed>();
  private readonly leaders = new Map<NodeId, { term: number; log: RaftLog }>();
  private readonly commitSeen = new Map<NodeId, number>();

  endStep(node: NodeId, after: NodeSnapshot, log: RaftLog, report: Report): void {
    const seen = this.commitSeen.get(node) ?? 0;
    if (after.commitIndex > seen) {
      for (let i = Math.max(seen + 1, log.firstIndex() - 1, 1); i <= after.commitIndex; i++) {
        const term = termAt(log, i);
        if (term !== undefined) this.recordCommitted(node, i, term, after.term, report);
      }
      this.commitSeen.set(node, after.commitIndex);
    }
    if (after.role !== 'leader') {
      this.leaders.delete(node);
      return;
    }
    if (this.leaders.get(node)?.term === after.term) return;
    this.leaders.set(node, { term: after.term, log });
    for (const [index, c] of this.committed) {
      if (c.by < after.term) this.expectInLeader(node, after.term, log, index, c, report);
    }
  }

  onCrash(node: NodeId): void {
    this.leaders.delete(node);
    this.commitSeen.delete(node);
  }

  /** Number of committed indexes recorded. */
  get size(): number {
    return this.committed.size;
  }

  private recordCommitted(node: NodeId, index: number, term: number, nodeTerm: number, report: Report): void {
    const known = this.committed.get(index);
    if (known !== undefined && known.term !== term) {
      report(
        `node ${node} committed entry ${index}/${term} but node ${known.node} committed ${index}/${known.term}`,
        node,
        'state-machine-safety',
      );
      return;
    }
    if (known !== undefined && known.by <= nodeTerm) return;
    const c: Committed = known ?? { term, by: nodeTerm, node };
    c.by = nodeTerm;
    if (known === undefined) this.committed.set(index, c);
    for (const [leader, l] of this.leaders) {
      if (l.term > nodeTerm) this.expectInLeader(leader, l.term, l.log, index, c, report);
    }
  }

  private expectInLeader(
    leader: NodeId,
    term: number,
    log: RaftLog,
    index: number,
    c: Committed,
    report: Report,
  ): void {
    if (index < log.firstIndex() - 1) return;
    const has = termAt(log, index);
    if (has === c.term) return;
    report(
      `leader ${leader} of term ${term} lacks entry ${index}/${c.term}, committed by term ${c.by} (seen on node ${c.node}); its log has ${has === undefined ? 'no entry' : `term ${has}`} there`,
      leader,
    );
  }
}
