/**
 * The membership an operator hands to `restoreBackup` or `RaftServer.recover`: voters,
 * learners and member info, checked by the core's own rules (the same checks a new
 * cluster's config gets: unique positive ids, no learner among the voters, member info in
 * printable ASCII about members only) before anything is written.
 */
import {
  InvalidArgumentError,
  InvalidConfigError,
  MAX_MEMBERS,
  type MemberInfo,
  type Membership,
  MemoryLog,
  type NodeId,
  RaftNode,
} from '@raft-io/core';

/** A new membership to write into a log (`restoreBackup`, `RaftServer.recover`). */
export interface MembershipInput {
  /** The voters. Must include the node whose data directory is written. */
  readonly voters: readonly NodeId[];
  /** The learners. Default none. */
  readonly learners?: readonly NodeId[];
  /**
   * Address and metadata per member (`Membership.info`): where each one's Raft transport
   * listens, and the application's metadata (the kv demo: the member's HTTP URL).
   */
  readonly memberInfo?: Readonly<Record<NodeId, MemberInfo>>;
}

/** The checked membership for node `self`; throws `InvalidArgumentError` naming what is wrong. */
export function checkedMembership(self: NodeId, input: MembershipInput): Membership {
  const { voters, learners = [], memberInfo } = input;
  if (!Array.isArray(voters) || voters.length === 0)
    throw new InvalidArgumentError('voters: the new membership needs at least one voter');
  if (voters.length + learners.length > MAX_MEMBERS)
    throw new InvalidArgumentError(`the new membership has more than ${MAX_MEMBERS} members`);
  if (!voters.includes(self))
    throw new InvalidArgumentError(
      `voters: node ${self}, whose data is written, must be one of the voters (${voters.join(', ')})`,
    );
  try {
    // A node built on an empty log takes the membership from its config, checked by the core.
    const node = new RaftNode(
      { id: self, voters, learners, ...(memberInfo !== undefined ? { memberInfo } : {}) },
      new MemoryLog(),
    );
    return node.membership();
  } catch (error) {
    if (error instanceof InvalidConfigError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}
