/**
 * State Machine Safety (§5.4.3, Figure 3): if a node has applied an entry at an index, no
 * other node ever applies a different entry at that index. Restarts are included: a
 * restarted node re-applies from its snapshot and must apply the same entries again. Within
 * one incarnation a node applies in strictly increasing index order, and a restore never
 * takes it back behind what it applied.
 */
import type { ApplyAction, NodeId, RestoreAction } from '@raft-io/core';
import { hashBytes } from '../hash.js';
import type { Checker, Report } from './checker.js';

interface Applied {
  readonly term: number;
  readonly hash: number;
  readonly node: NodeId;
}

export class StateMachineSafety implements Checker {
  readonly property = 'state-machine-safety' as const;
  private readonly applied = new Map<number, Applied>();
  private readonly last = new Map<NodeId, { incarnation: number; index: number }>();

  onApply(node: NodeId, incarnation: number, action: ApplyAction, report: Report): void {
    const last = this.last.get(node);
    if (last !== undefined && last.incarnation === incarnation && action.index <= last.index) {
      report(`node ${node} applied index ${action.index} after index ${last.index}`, node);
    }
    this.last.set(node, { incarnation, index: action.index });
    const hash = hashBytes(action.command);
    const known = this.applied.get(action.index);
    if (known === undefined) {
      this.applied.set(action.index, { term: action.term, hash, node });
    } else if (known.term !== action.term || known.hash !== hash) {
      report(
        `node ${node} applied ${action.index}/${action.term} but node ${known.node} applied ${action.index}/${known.term}${known.term === action.term ? ' with other data' : ''}`,
        node,
      );
    }
  }

  onRestore(node: NodeId, incarnation: number, action: RestoreAction, report: Report): void {
    const index = action.snapshot.metadata.index;
    const last = this.last.get(node);
    if (last !== undefined && last.incarnation === incarnation && index < last.index) {
      report(`node ${node} restored a snapshot at ${index} after applying index ${last.index}`, node);
    }
    this.last.set(node, { incarnation, index });
  }

  onRestart(node: NodeId): void {
    this.last.delete(node);
  }

  /** Number of distinct indexes applied anywhere. */
  get size(): number {
    return this.applied.size;
  }
}
