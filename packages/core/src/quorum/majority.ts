/**
 * Majority quorum arithmetic over one voter set. Pure functions, checked by a property test
 * against a naive version (test/quorum.test.ts).
 */
import type { NodeId } from '../types.js';

export type VoteResult = 'won' | 'lost' | 'pending';

/**
 * The largest index that a majority of `voters` has acknowledged, given `acked(id)`.
 * An empty voter set commits everything (Infinity), so a joint config with an empty
 * outgoing half reduces to its incoming half.
 */
export function majorityCommitted(voters: readonly NodeId[], acked: (id: NodeId) => number): number {
  const n = voters.length;
  if (n === 0) return Number.POSITIVE_INFINITY;
  if (n === 1) return acked(voters[0]!);
  const values = voters.map(acked).sort((a, b) => b - a);
  // The q-th largest value is held by at least q = floor(n/2)+1 voters.
  return values[n >> 1]!;
}

/** Whether `votes` (granted or rejected per voter; absent: no answer yet) decide an election. */
export function majorityVoteResult(
  voters: readonly NodeId[],
  votes: ReadonlyMap<NodeId, boolean>,
): VoteResult {
  const n = voters.length;
  if (n === 0) return 'won';
  const quorum = (n >> 1) + 1;
  let granted = 0;
  let missing = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === undefined) missing++;
    else if (v) granted++;
  }
  if (granted >= quorum) return 'won';
  if (granted + missing >= quorum) return 'pending';
  return 'lost';
}

/** Whether the nodes in `active` form a majority of `voters`. */
export function majorityActive(voters: readonly NodeId[], active: (id: NodeId) => boolean): boolean {
  if (voters.length === 0) return true;
  let count = 0;
  for (const id of voters) if (active(id)) count++;
  return count >= (voters.length >> 1) + 1;
}
