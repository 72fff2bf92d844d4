/**
 * Joint quorums (dissertation §4.3): during a membership change, a decision needs a majority
 * of the incoming voters and a majority of the outgoing voters. Outside a change the
 * outgoing set is empty and these reduce to plain majorities.
 */
import type { Membership, NodeId } from '../types.js';
import { majorityActive, majorityCommitted, majorityVoteResult, type VoteResult } from './majority.js';

export function jointCommitted(membership: Membership, acked: (id: NodeId) => number): number {
  return Math.min(
    majorityCommitted(membership.voters, acked),
    majorityCommitted(membership.outgoingVoters, acked),
  );
}

export function jointVoteResult(membership: Membership, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const a = majorityVoteResult(membership.voters, votes);
  const b = majorityVoteResult(membership.outgoingVoters, votes);
  if (a === 'lost' || b === 'lost') return 'lost';
  if (a === 'won' && b === 'won') return 'won';
  return 'pending';
}

export function jointActive(membership: Membership, active: (id: NodeId) => boolean): boolean {
  return majorityActive(membership.voters, active) && majorityActive(membership.outgoingVoters, active);
}

/** Every voter of either half, each once. */
export function allVoters(membership: Membership): NodeId[] {
  return [...new Set([...membership.voters, ...membership.outgoingVoters])];
}

/** Voters and learners, each once. */
export function allMembers(membership: Membership): NodeId[] {
  return [...new Set([...membership.voters, ...membership.outgoingVoters, ...membership.learners])];
}

export function isVoter(membership: Membership, id: NodeId): boolean {
  return membership.voters.includes(id) || membership.outgoingVoters.includes(id);
}
