/**
 * Safety properties of Raft (Figure 3 of the paper), checked over a `TestCluster`'s logs and
 * applied histories. Each returns a description of the first violation, or null.
 */
import type { NodeId } from '../../src/index.js';
import type { TestCluster } from './cluster.js';

/** Election Safety: at most one leader can be elected in a given term. */
export function electionSafety(c: TestCluster): string | null {
  for (const [term, leaders] of c.leadersByTerm) {
    if (leaders.size > 1) return `term ${term} has leaders ${[...leaders].join(', ')}`;
  }
  return null;
}

/** Log Matching: same index and term implies identical logs up to that index. */
export function logMatching(c: TestCluster): string | null {
  const ids = [...c.logs.keys()];
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      const la = c.logs.get(ids[a]!)!;
      const lb = c.logs.get(ids[b]!)!;
      const lo = Math.max(la.firstIndex(), lb.firstIndex());
      const hi = Math.min(la.lastIndex(), lb.lastIndex());
      let matchedFrom = -1;
      for (let i = hi; i >= lo; i--) {
        if (la.term(i) === lb.term(i)) {
          matchedFrom = i;
          break;
        }
      }
      for (let i = lo; i <= matchedFrom; i++) {
        const ea = la.entries(i, i + 1)[0]!;
        const eb = lb.entries(i, i + 1)[0]!;
        if (ea.term !== eb.term || ea.type !== eb.type || !sameBytes(ea.data, eb.data)) {
          return `nodes ${ids[a]} and ${ids[b]} match at ${matchedFrom} but differ at ${i}`;
        }
      }
    }
  }
  return null;
}

/** State Machine Safety: no two nodes apply different commands at the same index. */
export function stateMachineSafety(c: TestCluster, history: Map<number, string>): string | null {
  for (const [id, applied] of c.applied) {
    for (const a of applied) {
      const key = a.index;
      const seen = history.get(key);
      const value = `${a.term}:${a.command}`;
      if (seen === undefined) history.set(key, value);
      else if (seen !== value) return `node ${id} applied ${value} at ${key}, another node applied ${seen}`;
    }
  }
  return null;
}

/** Applied indexes are strictly increasing within one node's lifetime. */
export function applyOrder(c: TestCluster): string | null {
  for (const [id, applied] of c.applied) {
    for (let i = 1; i < applied.length; i++) {
      if (applied[i]!.index <= applied[i - 1]!.index)
        return `node ${id} applied ${applied[i]!.index} after ${applied[i - 1]!.index}`;
    }
  }
  return null;
}

/**
 * Leader Completeness: an entry committed in term T is in the log of every leader of a term
 * after T. `committed` maps index -> { term of the entry, term in which it was seen committed }.
 */
export function leaderCompleteness(
  c: TestCluster,
  committed: Map<number, { term: number; seenIn: number }>,
): string | null {
  for (const [id, node] of c.nodes) {
    if (c.down.has(id)) continue;
    const log = c.logs.get(id)!;
    for (let i = Math.max(log.firstIndex(), node.commitIndex() - 50); i <= node.commitIndex(); i++) {
      if (!committed.has(i)) committed.set(i, { term: log.term(i), seenIn: node.term() });
    }
  }
  for (const [id, node] of c.nodes) {
    if (c.down.has(id) || !node.isLeader()) continue;
    const log = c.logs.get(id)!;
    for (const [index, { term, seenIn }] of committed) {
      if (node.term() <= seenIn || index < log.firstIndex()) continue;
      if (index > log.lastIndex() || log.term(index) !== term) {
        return `leader ${id} of term ${node.term()} lacks entry ${index}@${term}, committed by term ${seenIn}`;
      }
    }
  }
  return null;
}

/**
 * State Machine Safety on the state machines themselves (restored snapshots included): of any
 * two nodes' state machines, one is a prefix of the other.
 */
export function machinesAgree(c: TestCluster): string | null {
  const ids = [...c.machines.keys()];
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      const ma = c.machines.get(ids[a]!)!;
      const mb = c.machines.get(ids[b]!)!;
      const n = Math.min(ma.length, mb.length);
      for (let i = 0; i < n; i++) {
        if (ma[i] !== mb[i]) {
          return `state machines of nodes ${ids[a]} and ${ids[b]} differ at command ${i}: ${ma[i]} vs ${mb[i]}`;
        }
      }
    }
  }
  return null;
}

export function checkAll(
  c: TestCluster,
  state: { smHistory: Map<number, string>; committed: Map<number, { term: number; seenIn: number }> },
): string | null {
  return (
    electionSafety(c) ??
    logMatching(c) ??
    stateMachineSafety(c, state.smHistory) ??
    applyOrder(c) ??
    leaderCompleteness(c, state.committed)
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export type { NodeId };
