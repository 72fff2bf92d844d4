/**
 * Bounded liveness: from a state, with no further faults, the cluster must recover. Crashed
 * nodes restart; then in rounds every node ticks once and every message in flight is
 * delivered (and what that causes, until quiet). Once a leader is known, a proposal goes to
 * it; the check passes when a leader has committed a proposal of its own term within
 * `ticks` rounds. The run is deterministic (each node's election timeout comes from its
 * own PRNG), so a failure replays.
 *
 * The calm run is made of ordinary events through the search's own transition function, so
 * it shares its copy-on-write states and cached local steps, and its invariants are checked
 * on the way. A memo remembers, by the cluster's fingerprint at the start of a round (before
 * any proposal), how many ticks the calm run needed from there: runs from different states
 * soon reach the same calm states. (Like the search, it takes states that differ only in
 * their PRNG's position for one.)
 */
import type { NodeId } from '@raft-io/core';
import { termAt } from '../checkers/term-at.js';
import type { CheckEvent } from './events.js';
import type { CheckViolation } from './invariants.js';
import { applyEvent, type ModelContext } from './model.js';
import type { CheckState } from './state.js';

/** Delivery rounds per tick before a round is cut short (a livelock cannot stall the check). */
const MAX_ROUNDS = 50;

export class LivenessMemo {
  private readonly ticksNeeded = new Map<string, number>();

  constructor(private readonly limit = 500_000) {}

  get(key: string): number | undefined {
    return this.ticksNeeded.get(key);
  }

  set(key: string, ticks: number): void {
    if (this.ticksNeeded.size >= this.limit) this.ticksNeeded.clear();
    const known = this.ticksNeeded.get(key);
    if (known === undefined || ticks < known) this.ticksNeeded.set(key, ticks);
  }
}

class CalmRunFailed extends Error {
  constructor(readonly violation: CheckViolation) {
    super(violation.detail);
  }
}

/** Null when the cluster recovers from `state` within `ticks` ticks, else the violation. */
export function checkLiveness(
  state: CheckState,
  ticks: number,
  ctx: ModelContext,
  memo: LivenessMemo = new LivenessMemo(),
): CheckViolation | null {
  let s = state;
  const apply = (e: CheckEvent): boolean => {
    const t = applyEvent(s, e, ctx, true);
    if (t.kind === 'none') return false;
    if (t.violation) {
      throw new CalmRunFailed({
        ...t.violation,
        detail: `with no further faults, after this state: ${t.violation.detail}`,
      });
    }
    s = t.state;
    return true;
  };
  // Round-start states of this run (before any proposal), to teach the memo on success.
  const seen: { key: string; tick: number }[] = [];
  const learn = (tick: number) => {
    for (const r of seen) memo.set(r.key, tick - r.tick);
  };
  try {
    for (const m of s.cluster.members) if (m.node === null) apply(ctx.events.node('restart', m.id));
    let proposal: { node: NodeId; index: number; term: number } | null = null;
    for (let t = 1; t <= ticks; t++) {
      if (proposal === null) {
        const key = s.clusterKey(ctx.hasher);
        const need = memo.get(key);
        if (need !== undefined && t - 1 + need <= ticks) {
          learn(t - 1 + need);
          return null;
        }
        seen.push({ key, tick: t - 1 });
      }
      for (const m of s.cluster.members) if (m.node !== null) apply(ctx.events.node('tick', m.id));
      deliverAll();
      const leader = currentLeader(s);
      if (leader === null) continue;
      const node = s.cluster.member(leader).node!;
      if (proposal === null || proposal.node !== leader || proposal.term !== node.term()) {
        proposal = apply(ctx.events.other({ kind: 'propose', node: leader, command: 'liveness' }))
          ? { node: leader, index: s.cluster.member(leader).log.lastIndex(), term: node.term() }
          : null; // refused (a transfer in progress, say): retry next tick
        deliverAll();
      }
      if (proposal !== null) {
        const m = s.cluster.member(proposal.node);
        if (
          m.node !== null &&
          m.node.commitIndex() >= proposal.index &&
          termAt(m.log, proposal.index) === proposal.term
        ) {
          learn(t);
          return null;
        }
      }
    }
  } catch (err) {
    if (err instanceof CalmRunFailed) return err.violation;
    throw err;
  }
  const status = s.cluster.members
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

  function deliverAll(): void {
    for (let round = 0; s.cluster.queue.length > 0 && round < MAX_ROUNDS; round++) {
      for (const m of s.cluster.queue.slice()) {
        const running = s.cluster.has(m.to) && s.cluster.member(m.to).node !== null;
        apply(ctx.events.message(running ? 'deliver' : 'drop', m));
      }
    }
  }
}

/** The leader of the highest term, if any node leads. */
function currentLeader(s: CheckState): NodeId | null {
  let best: NodeId | null = null;
  let term = -1;
  for (const m of s.cluster.members) {
    if (m.node?.isLeader() && m.node.term() > term) {
      best = m.id;
      term = m.node.term();
    }
  }
  return best;
}
