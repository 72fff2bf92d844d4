/**
 * Bounded liveness: from a state, with no further faults, the cluster must recover. Crashed
 * nodes restart; then in rounds every node ticks once and every message in flight is
 * delivered (and what that causes, until quiet). Once a leader is known, a proposal goes to
 * it; the check passes when a leader has committed a proposal of its own term within
 * `ticks` rounds. The run is deterministic (each node's election timeout comes from its
 * own PRNG), so a failure replays.
 */
import type { Action, NodeId } from '@raft-io/core';
import { termAt } from '../checkers/term-at.js';
import { errorCode } from '../core-module.js';
import type { StepCluster } from '../interaction/step-cluster.js';
import type { CheckViolation } from './invariants.js';
import type { CheckState } from './state.js';

/** Delivery rounds per tick before a round is cut short (a livelock cannot stall the check). */
const MAX_ROUNDS = 50;
const encoder = new TextEncoder();

/** Null when the cluster recovers from `state` within `ticks` ticks, else the violation. */
export function checkLiveness(state: CheckState, ticks: number): CheckViolation | null {
  const c = state.cluster.detach();
  try {
    for (const m of c.members) if (m.node === null) c.restart(m.id);
    let proposal: { node: NodeId; index: number; term: number } | null = null;
    for (let t = 1; t <= ticks; t++) {
      for (const m of c.members) if (m.node !== null) c.step(m.id, { type: 'tick' });
      deliverAll(c);
      const leader = currentLeader(c);
      if (leader === null) continue;
      const node = c.member(leader).node!;
      if (proposal === null || proposal.node !== leader || proposal.term !== node.term()) {
        proposal = propose(c, leader);
        deliverAll(c);
      }
      if (proposal !== null) {
        const log = c.member(proposal.node).log;
        const now = c.member(proposal.node).node;
        if (
          now !== null &&
          now.commitIndex() >= proposal.index &&
          termAt(log, proposal.index) === proposal.term
        )
          return null;
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { property: 'node-error', detail: `a node threw during the liveness run: ${message}` };
  }
  const status = c.members
    .map((m) =>
      m.node === null
        ? `n${m.id} down`
        : `n${m.id} ${m.node.status().role} term ${m.node.term()} commit ${m.node.commitIndex()}`,
    )
    .join(', ');
  return {
    property: 'liveness',
    detail: `with no further faults, no leader committed a proposal within ${ticks} ticks (then: ${status})`,
  };
}

function deliverAll(c: StepCluster): void {
  for (let round = 0; c.queue.length > 0 && round < MAX_ROUNDS; round++) {
    const now = c.queue;
    c.queue = [];
    for (const m of now)
      if (c.has(m.to) && c.member(m.to).node !== null) c.step(m.to, { type: 'message', message: m });
  }
}

/** The leader of the highest term, if any node leads. */
function currentLeader(c: StepCluster): NodeId | null {
  let best: NodeId | null = null;
  let term = -1;
  for (const m of c.members) {
    if (m.node?.isLeader() && m.node.term() > term) {
      best = m.id;
      term = m.node.term();
    }
  }
  return best;
}

function propose(c: StepCluster, leader: NodeId): { node: NodeId; index: number; term: number } | null {
  let actions: Action[];
  try {
    actions = c.step(leader, { type: 'propose', command: encoder.encode('liveness') });
  } catch (err) {
    if (errorCode(err) !== null) return null; // refused (a transfer in progress, say): retry next tick
    throw err;
  }
  for (const a of actions) {
    if (a.type === 'accepted') return { node: leader, index: a.lastIndex, term: a.term };
  }
  return null;
}
