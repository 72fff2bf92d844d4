/**
 * What a model-checking run explores: the cluster (size, membership, Raft options), a setup
 * script that brings it to its starting state, which events are enabled, and the bounds that
 * make the state space finite. A scenario is plain data, so users can write their own and
 * check their own driver settings (`modelCheck({ scenario: { ... } })`).
 */
import type { Membership, MembershipChange, NodeId } from '@raft-io/core';
import type { StepRaftOptions } from '../interaction/step-cluster.js';

/** Bounds on one path from the starting state. Every count is a maximum over the whole path. */
export interface CheckBounds {
  /** Events after the setup. */
  readonly depth: number;
  /** Ticks per node. 0 turns ticks off (and elections then start only by `campaign`). */
  readonly ticks: number;
  /** `campaign` events (an election timeout firing at any moment), in total. */
  readonly campaigns: number;
  /** Crashes in total (a crashed node may always restart). */
  readonly crashes: number;
  /** Proposals (one command each: `v1`, `v2`, ...). */
  readonly proposals: number;
  /** Membership change requests the leader accepted. */
  readonly changes: number;
  /** Leadership transfers requested. */
  readonly transfers: number;
  /** Reads issued (ids `r1`, `r2`, ...). */
  readonly reads: number;
  /** Snapshots taken (at the node's applied index). */
  readonly snapshots: number;
  /** Messages the network loses (a message never delivered is lost too, for safety). */
  readonly drops: number;
  /** Messages the network delivers twice. */
  readonly duplicates: number;
  /** At most this many messages in flight: a step that would leave more is not explored. */
  readonly maxInFlight: number;
}

/** Which membership changes the checker requests of a leader. */
export type ChangeKinds = readonly (
  | 'add-voter'
  | 'add-learner'
  | 'promote'
  | 'demote'
  | 'remove'
  | 'remove-self'
  | 'joint'
)[];

export interface CheckScenario {
  readonly name: string;
  readonly description: string;
  /** Default cluster size, and the sizes it supports. */
  readonly nodes: number;
  readonly sizes: readonly number[];
  /** Raft options of every node (only those the script language names: see `scriptOptions`). */
  readonly raft: StepRaftOptions;
  /** The voters at bootstrap (default: every node) and learners (default none), for a size. */
  readonly voters?: (nodes: number) => readonly NodeId[];
  readonly learners?: (nodes: number) => readonly NodeId[];
  /** Interaction-script lines run before the search (`campaign 1`, `deliver all`, ...). */
  readonly setup?: (nodes: number) => readonly string[];
  /** The bounds of the CI run. */
  readonly bounds: CheckBounds;
  /** Bounds of `pnpm check:deep` (replacing `bounds` field by field). */
  readonly deep?: Partial<CheckBounds>;
  /** Membership changes requested of a leader (none when absent). */
  readonly changeKinds?: ChangeKinds;
  /**
   * Bounded liveness: from every state reached, with no further faults (crashed nodes
   * restart, every message is delivered, every node ticks), a leader must emerge and a
   * proposal commit within this many ticks.
   */
  readonly livenessTicks?: number;
}

export const NO_EVENTS: CheckBounds = Object.freeze({
  depth: 0,
  ticks: 0,
  campaigns: 0,
  crashes: 0,
  proposals: 0,
  changes: 0,
  transfers: 0,
  reads: 0,
  snapshots: 0,
  drops: 0,
  duplicates: 0,
  maxInFlight: 64,
});

/** The membership change requests of `kinds` that make sense on top of `m` for nodes `ids`. */
export function changeRequests(
  kinds: ChangeKinds,
  m: Membership,
  ids: readonly NodeId[],
  leader: NodeId,
): MembershipChange[][] {
  const voters = new Set(m.voters);
  const learners = new Set(m.learners);
  const outsiders = ids.filter((id) => !voters.has(id) && !learners.has(id));
  const out: MembershipChange[][] = [];
  for (const kind of kinds) {
    switch (kind) {
      case 'add-voter':
        for (const id of outsiders) out.push([{ type: 'add-voter', id }]);
        break;
      case 'add-learner':
        for (const id of outsiders) out.push([{ type: 'add-learner', id }]);
        break;
      case 'promote':
        for (const id of m.learners) out.push([{ type: 'add-voter', id }]);
        break;
      case 'demote':
        for (const id of m.voters)
          if (id !== leader && m.voters.length > 1) out.push([{ type: 'add-learner', id }]);
        break;
      case 'remove':
        for (const id of [...m.voters, ...m.learners]) if (id !== leader) out.push([{ type: 'remove', id }]);
        break;
      case 'remove-self':
        if (voters.has(leader) && m.voters.length > 1) out.push([{ type: 'remove', id: leader }]);
        break;
      case 'joint':
        // Replace one voter by an outsider, or swap a voter and a learner, in one step.
        for (const add of [...outsiders, ...m.learners]) {
          for (const remove of m.voters)
            out.push([
              { type: 'add-voter', id: add },
              { type: 'remove', id: remove },
            ]);
        }
        break;
    }
  }
  return out;
}
