/**
 * Log Matching (§5.3, Figure 3): if two logs contain an entry with the same index and term,
 * the logs are identical in all entries up through that index. Checked incrementally with a
 * global map (index, term) -> (fingerprint of the entry, term of the entry before it): every
 * entry any node ever writes must agree with that map. By induction on the index this is the
 * whole property, and it also holds across truncations and restarts, since one leader creates
 * each (index, term) once. A log whose terms go down is reported too.
 */
import type { Entry, LogWrite, NodeId, RaftLog } from '@raft-io/core';
import { hashBytes } from '../hash.js';
import type { Checker, Report } from './checker.js';
import { termAt } from './term-at.js';

interface Seen {
  readonly hash: number;
  /** Term of the entry before it; -1 when the writer had compacted it away. */
  prevTerm: number;
  readonly node: NodeId;
}

const TYPE_CODE = { command: 1, empty: 2, membership: 3 } as const;

export class LogMatching implements Checker {
  readonly property = 'log-matching' as const;
  private readonly seen = new Map<string, Seen>();

  onWrite(node: NodeId, write: LogWrite, log: RaftLog, _prior: unknown, report: Report): void {
    const entries = write.entries;
    if (entries === undefined || entries.length === 0) return;
    let prevTerm = termAt(log, entries[0]!.index - 1) ?? -1;
    for (const entry of entries) {
      this.register(node, entry, prevTerm, report);
      prevTerm = entry.term;
    }
  }

  /** A restarted node's log may hold writes no step was checked for (kept by the crash): check them all. */
  onRestart(node: NodeId, _incarnation: number, log: RaftLog, report: Report): void {
    const first = log.firstIndex();
    const last = log.lastIndex();
    if (last < first) return;
    let prevTerm = termAt(log, first - 1) ?? -1;
    for (const entry of log.entries(first, last + 1)) {
      this.register(node, entry, prevTerm, report);
      prevTerm = entry.term;
    }
  }

  /** Number of distinct (index, term) entries seen. */
  get size(): number {
    return this.seen.size;
  }

  private register(node: NodeId, entry: Entry, prevTerm: number, report: Report): void {
    if (prevTerm > entry.term) {
      report(
        `node ${node} holds entry ${entry.index}/${entry.term} after an entry of term ${prevTerm}`,
        node,
      );
    }
    const key = `${entry.index}/${entry.term}`;
    const hash = hashBytes(entry.data, TYPE_CODE[entry.type]);
    const known = this.seen.get(key);
    if (known === undefined) {
      this.seen.set(key, { hash, prevTerm, node });
      return;
    }
    if (known.hash !== hash) {
      report(`entry ${key} on node ${node} differs from the same entry on node ${known.node}`, node);
    } else if (known.prevTerm === -1) {
      known.prevTerm = prevTerm;
    } else if (prevTerm !== -1 && known.prevTerm !== prevTerm) {
      report(
        `entry ${key} follows term ${prevTerm} on node ${node} but term ${known.prevTerm} on node ${known.node}: the logs differ before it`,
        node,
      );
    }
  }
}
