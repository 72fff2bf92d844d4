/**
 * Election Safety (§5.2, Figure 3): at most one leader can be elected in a given term.
 * Every (term, leader) ever seen is remembered for the whole run, across crashes.
 */
import type { NodeId } from '@raft-io/core';
import type { Checker, NodeSnapshot, Report } from './checker.js';

export class ElectionSafety implements Checker {
  readonly property = 'election-safety' as const;
  private readonly leaders = new Map<number, NodeId>();

  endStep(node: NodeId, after: NodeSnapshot, _log: unknown, report: Report): void {
    if (after.role !== 'leader') return;
    const known = this.leaders.get(after.term);
    if (known === undefined) this.leaders.set(after.term, node);
    else if (known !== node)
      report(`two leaders in term ${after.term}: node ${known} and node ${node}`, node);
  }

  /** The leader elected in `term`, if one was seen. */
  leaderOf(term: number): NodeId | undefined {
    return this.leaders.get(term);
  }

  /** Number of terms that had a leader. */
  get terms(): number {
    return this.leaders.size;
  }
}
