/**
 * The invariants the model checker checks in every state it reaches, from the nodes' public
 * surface (`term`, `isLeader`, `commitIndex`, `membership`, `status`), their logs (through
 * the `RaftLog` methods) and their actions, plus the ghost variables of `CheckState`:
 *
 * - election-safety: at most one leader per term, ever (ghost: the leader of each term);
 * - leader-append-only: a leader never removes or changes an entry of its log while it stays
 *   in its term (checked across each of its steps);
 * - log-matching: two logs with an entry of the same index and term hold the same entries up
 *   to it (every pair of logs, crashed nodes' durable logs included), and terms never go
 *   down within a log;
 * - leader-completeness: an entry committed by term T is in the log of every leader of a
 *   term above T (ghost: each committed entry with the lowest term that knew it);
 * - state-machine-safety: one entry per committed index across nodes and restarts, and each
 *   node applies in strictly increasing order and never restores behind what it applied;
 * - membership-safety: at most one membership change in flight, cluster-wide (see
 *   `membershipSafety`);
 * - commit-quorum: when a leader's commit index advances, a quorum of its voters (of both
 *   halves of a joint membership) holds the entry, learners not counted;
 * - read-safety: a `read-ready` index is at least the highest commit index any node had when
 *   the read was issued, and at most the node's applied index.
 */
import type { Action, Entry, Membership, NodeId, RaftLog } from '@raft-io/core';
import { termAt } from '../checkers/term-at.js';
import type { SafetyProperty } from '../checkers/violation.js';
import type { CoreNode } from '../core-module.js';
import { formatEntry } from '../format.js';
import type { CheckState, CommittedEntry } from './state.js';

/** The properties the model checker reports. */
export type CheckProperty =
  | Exclude<SafetyProperty, 'linearizability'>
  | 'membership-safety'
  | 'commit-quorum'
  | 'read-safety';

export interface CheckViolation {
  readonly property: CheckProperty;
  readonly detail: string;
  /** The node whose step revealed it. */
  readonly node?: NodeId;
}

/** What a node looked like before a step, for the checks across the step. */
export interface BeforeStep {
  readonly leader: boolean;
  readonly term: number;
  readonly commit: number;
  /** The leader's log, to check it only grew (null if not a leader). */
  readonly entries: readonly Entry[] | null;
  readonly first: number;
}

export function beforeStep(state: CheckState, id: NodeId): BeforeStep {
  const m = state.cluster.member(id);
  const node = m.node;
  if (node === null) return { leader: false, term: 0, commit: 0, entries: null, first: 0 };
  const leader = node.isLeader();
  return {
    leader,
    term: node.term(),
    commit: node.commitIndex(),
    entries: leader ? allEntries(m.log) : null,
    first: m.log.firstIndex(),
  };
}

function allEntries(log: RaftLog): Entry[] {
  const first = log.firstIndex();
  const last = log.lastIndex();
  return last >= first ? log.entries(first, last + 1) : [];
}

function sameEntry(a: Entry, b: Entry): boolean {
  if (a === b) return true;
  if (a.index !== b.index || a.term !== b.term || a.type !== b.type || a.data.length !== b.data.length)
    return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

/**
 * Check everything that node `id`'s step (which returned `actions`) may have broken, and
 * update the ghost variables. Returns the first violation found, or null.
 */
export function afterStep(
  state: CheckState,
  id: NodeId,
  before: BeforeStep,
  actions: readonly Action[],
): CheckViolation | null {
  const m = state.cluster.member(id);
  const node = m.node;
  if (node !== null) {
    const v =
      electionSafety(state, id, node) ??
      leaderAppendOnly(id, node, m.log, before) ??
      observeCommits(state, id, node, m.log) ??
      commitQuorum(state, id, node, before);
    if (v) return v;
  }
  for (const a of actions) {
    if (a.type === 'apply') {
      const last = state.ghost.lastApplied[id - 1]!;
      if (a.index <= last)
        return {
          property: 'state-machine-safety',
          node: id,
          detail: `node ${id} applied index ${a.index} after index ${last}`,
        };
      state.writeGhost().lastApplied[id - 1] = a.index;
      const known = state.ghost.committed.get(a.index);
      if (known !== undefined) {
        const e = known.entry;
        if (e.term !== a.term || e.type !== 'command' || !sameBytes(e.data, a.command)) {
          return {
            property: 'state-machine-safety',
            node: id,
            detail: `node ${id} applied ${a.index}/${a.term} but ${formatEntry(e)} was committed there`,
          };
        }
      }
    } else if (a.type === 'restore') {
      const index = a.snapshot.metadata.index;
      const last = state.ghost.lastApplied[id - 1]!;
      if (index < last)
        return {
          property: 'state-machine-safety',
          node: id,
          detail: `node ${id} restored a snapshot at ${index} after applying index ${last}`,
        };
      state.writeGhost().lastApplied[id - 1] = index;
    } else if (a.type === 'read-ready') {
      const required = state.ghost.reads.get(a.id);
      if (required !== undefined) state.writeGhost().reads.delete(a.id);
      if (required !== undefined && a.index < required) {
        return {
          property: 'read-safety',
          node: id,
          detail: `read ${a.id} on node ${id} was served at index ${a.index}, but index ${required} was committed before it was issued`,
        };
      }
      const applied = node?.status().appliedIndex ?? 0;
      if (a.index > applied) {
        return {
          property: 'read-safety',
          node: id,
          detail: `read ${a.id} on node ${id} was served at index ${a.index} before the node applied it (applied ${applied})`,
        };
      }
    } else if (a.type === 'read-failed') {
      if (state.ghost.reads.has(a.id)) state.writeGhost().reads.delete(a.id);
    }
  }
  return logMatching(state, id) ?? leaderCompleteness(state) ?? membershipSafety(state);
}

/** A read was issued on some node: remember the highest commit index at that moment. */
export function readIssued(state: CheckState, readId: string): void {
  state.writeGhost().reads.set(readId, state.ghost.maxCommit);
}

/** Node `id` crashed: its incarnation's apply order starts over. */
export function crashed(state: CheckState, id: NodeId): void {
  if (state.ghost.lastApplied[id - 1] !== 0) state.writeGhost().lastApplied[id - 1] = 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function electionSafety(state: CheckState, id: NodeId, node: CoreNode): CheckViolation | null {
  if (!node.isLeader()) return null;
  const term = node.term();
  const known = state.ghost.leaders.get(term);
  if (known === undefined) {
    state.writeGhost().leaders.set(term, id);
    return null;
  }
  if (known === id) return null;
  return {
    property: 'election-safety',
    node: id,
    detail: `two leaders in term ${term}: node ${known} and node ${id}`,
  };
}

function leaderAppendOnly(
  id: NodeId,
  node: CoreNode,
  log: RaftLog,
  before: BeforeStep,
): CheckViolation | null {
  if (!before.leader || before.entries === null || node.term() !== before.term) return null;
  const first = log.firstIndex();
  const last = log.lastIndex();
  for (const e of before.entries) {
    if (e.index < first) continue;
    if (e.index > last) {
      return {
        property: 'leader-append-only',
        node: id,
        detail: `node ${id}, leader of term ${before.term}, lost entry ${formatEntry(e)} (its log now ends at ${last})`,
      };
    }
    const now = log.entries(e.index, e.index + 1)[0]!;
    if (!sameEntry(e, now)) {
      return {
        property: 'leader-append-only',
        node: id,
        detail: `node ${id}, leader of term ${before.term}, replaced entry ${formatEntry(e)} with ${formatEntry(now)}`,
      };
    }
  }
  return null;
}

/** Record the entries node `id` knows committed; two different ones at an index break SMS. */
function observeCommits(state: CheckState, id: NodeId, node: CoreNode, log: RaftLog): CheckViolation | null {
  const commit = node.commitIndex();
  if (commit > state.ghost.maxCommit) state.writeGhost().maxCommit = commit;
  const lo = Math.max(1, log.firstIndex());
  if (commit < lo) return null;
  const term = node.term();
  for (const e of log.entries(lo, commit + 1)) {
    const known = state.ghost.committed.get(e.index);
    if (known === undefined) {
      state.writeGhost().committed.set(e.index, { entry: e, by: term });
    } else if (!sameEntry(known.entry, e)) {
      return {
        property: 'state-machine-safety',
        node: id,
        detail: `node ${id} has ${formatEntry(e)} committed, but ${formatEntry(known.entry)} was committed at index ${e.index} before`,
      };
    } else if (term < known.by) {
      state.writeGhost().committed.set(e.index, { entry: known.entry, by: term });
    }
  }
  return null;
}

/** The node's own and its peers' logs: does voter `v` hold `index` with `term`? */
function holds(state: CheckState, v: NodeId, index: number, term: number): boolean {
  if (!state.cluster.has(v)) return false;
  const log = state.cluster.member(v).log;
  if (index < log.firstIndex() - 1) return true; // compacted behind a snapshot: committed there
  return termAt(log, index) === term;
}

function quorumHolds(state: CheckState, voters: readonly NodeId[], index: number, term: number): boolean {
  if (voters.length === 0) return true;
  let n = 0;
  for (const v of voters) if (holds(state, v, index, term)) n++;
  return n * 2 > voters.length;
}

function commitQuorum(
  state: CheckState,
  id: NodeId,
  node: CoreNode,
  before: BeforeStep,
): CheckViolation | null {
  const commit = node.commitIndex();
  if (!node.isLeader() || commit <= before.commit) return null;
  const log = state.cluster.member(id).log;
  const term = termAt(log, commit);
  if (term === undefined) return null;
  const ms: Membership = node.membership();
  const ok =
    quorumHolds(state, ms.voters, commit, term) && quorumHolds(state, ms.outgoingVoters, commit, term);
  if (ok) return null;
  const holders = state.cluster.ids.filter((v) => holds(state, v, commit, term));
  return {
    property: 'commit-quorum',
    node: id,
    detail: `leader ${id} committed index ${commit} (term ${term}) held only by nodes ${holders.join(', ')}; voters ${ms.voters.join(', ')}${ms.outgoingVoters.length > 0 ? ` and ${ms.outgoingVoters.join(', ')}` : ''}${ms.learners.length > 0 ? `, learners ${ms.learners.join(', ')}` : ''}`,
  };
}

function logMatching(state: CheckState, id: NodeId): CheckViolation | null {
  const members = state.cluster.members;
  const a = members[id - 1]!.log;
  const entries = allEntries(a);
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.term < entries[i - 1]!.term) {
      return {
        property: 'log-matching',
        node: id,
        detail: `node ${id} holds ${formatEntry(entries[i]!)} after an entry of term ${entries[i - 1]!.term}`,
      };
    }
  }
  for (const other of members) {
    if (other.id === id) continue;
    const b = other.log;
    const lo = Math.max(a.firstIndex(), b.firstIndex());
    const hi = Math.min(a.lastIndex(), b.lastIndex());
    let top = -1;
    for (let i = hi; i >= lo; i--) {
      if (a.term(i) === b.term(i)) {
        top = i;
        break;
      }
    }
    if (top < lo) continue;
    const ea = a.entries(lo, top + 1);
    const eb = b.entries(lo, top + 1);
    for (let i = 0; i < ea.length; i++) {
      if (!sameEntry(ea[i]!, eb[i]!)) {
        return {
          property: 'log-matching',
          node: id,
          detail: `nodes ${id} and ${other.id} both hold an entry at ${top}/${a.term(top)}, but at index ${ea[i]!.index} node ${id} has ${formatEntry(ea[i]!)} and node ${other.id} has ${formatEntry(eb[i]!)}`,
        };
      }
    }
  }
  return null;
}

function leaderCompleteness(state: CheckState): CheckViolation | null {
  const committed = state.ghost.committed;
  if (committed.size === 0) return null;
  for (const m of state.cluster.members) {
    const node = m.node;
    if (node === null || !node.isLeader()) continue;
    const term = node.term();
    for (const [index, c] of committed) {
      if (c.by >= term || index < m.log.firstIndex()) continue;
      const has = termAt(m.log, index);
      if (has !== c.entry.term) {
        return {
          property: 'leader-completeness',
          node: m.id,
          detail: `leader ${m.id} of term ${term} lacks ${formatEntry(c.entry)}, committed by term ${c.by}; its log has ${has === undefined ? 'no entry' : `term ${has}`} there`,
        };
      }
    }
  }
  return null;
}

/**
 * At most one membership change in flight, cluster-wide: the membership entries above the
 * highest commit index, in logs that still agree with every committed entry (an entry in a
 * log that disagrees can never commit), are all one entry. The one-change-at-a-time and
 * commit-in-current-term rules exist to keep this true: a leader may append a change only
 * once an entry of its term is committed, which kills every change of an earlier term it
 * does not hold. Ongaro's single-server bug (a leader changing the membership before that)
 * breaks it at the very step the second change is appended.
 */
function membershipSafety(state: CheckState): CheckViolation | null {
  const g = state.ghost;
  let first: { entry: Entry; node: NodeId } | null = null;
  for (const m of state.cluster.members) {
    const log = m.log;
    const last = log.lastIndex();
    if (last <= g.maxCommit || !agreesWithCommitted(log, g.committed, Math.min(last, g.maxCommit))) continue;
    const lo = Math.max(g.maxCommit + 1, log.firstIndex());
    for (const e of log.entries(lo, last + 1)) {
      if (e.type !== 'membership') continue;
      if (first === null) first = { entry: e, node: m.id };
      else if (first.entry.index !== e.index || first.entry.term !== e.term) {
        return {
          property: 'membership-safety',
          node: m.id,
          detail: `two membership changes in flight: ${formatEntry(first.entry)} on node ${first.node} and ${formatEntry(e)} on node ${m.id}, both uncommitted (the highest commit index is ${g.maxCommit}) in logs that agree with every committed entry`,
        };
      }
    }
  }
  return null;
}

/** Whether `log` holds the committed entry at the highest committed index it has, up to `upTo`. */
function agreesWithCommitted(
  log: RaftLog,
  committed: ReadonlyMap<number, CommittedEntry>,
  upTo: number,
): boolean {
  for (let i = upTo; i >= log.firstIndex(); i--) {
    const c = committed.get(i);
    if (c !== undefined) return termAt(log, i) === c.entry.term;
  }
  return true;
}
