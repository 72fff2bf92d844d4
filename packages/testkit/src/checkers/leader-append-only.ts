/**
 * Leader Append-Only (§5.3, Figure 3): a leader never overwrites or deletes entries in its
 * log; it only appends. Checked on every write: a node that led term T and is still in term
 * T must not truncate an entry it holds or append over one. (Once it has led T, no other
 * leader of T exists, so no legitimate truncation can reach it while it stays in T.)
 * Compaction behind a snapshot is not a deletion and is allowed.
 */
import type { LogWrite, NodeId, RaftLog } from '@raft-io/core';
import type { Checker, NodeSnapshot, Report, WriteContext } from './checker.js';

export class LeaderAppendOnly implements Checker {
  readonly property = 'leader-append-only' as const;
  /** The highest term each node has led. */
  private readonly led = new Map<NodeId, number>();
  /** Each node's term at the start of its current step. */
  private readonly termAtStart = new Map<NodeId, number>();

  beginStep(node: NodeId, before: NodeSnapshot): void {
    this.termAtStart.set(node, before.term);
    if (before.role === 'leader') this.markLed(node, before.term);
  }

  onWrite(node: NodeId, write: LogWrite, _log: RaftLog, prior: WriteContext, report: Report): void {
    const term = write.hardState?.term ?? this.termAtStart.get(node);
    if (term === undefined || this.led.get(node) !== term) return;
    if (write.truncateFrom !== undefined && write.truncateFrom <= prior.lastIndex) {
      report(
        `node ${node}, leader of term ${term}, truncated its log from index ${write.truncateFrom} (its last index was ${prior.lastIndex})`,
        node,
      );
      return;
    }
    const first = write.entries?.[0];
    if (first !== undefined && write.truncateFrom === undefined && first.index <= prior.lastIndex) {
      report(
        `node ${node}, leader of term ${term}, wrote entry ${first.index} over its log (last index ${prior.lastIndex})`,
        node,
      );
    }
  }

  endStep(node: NodeId, after: NodeSnapshot): void {
    if (after.role === 'leader') this.markLed(node, after.term);
  }

  private markLed(node: NodeId, term: number): void {
    if ((this.led.get(node) ?? 0) < term) this.led.set(node, term);
  }
}
