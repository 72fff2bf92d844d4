/**
 * The slice of `RaftNode` the simulator drives, so a test can hand it a deliberately broken
 * node (a wrapper that corrupts messages, forgets votes, ...) and watch the checkers catch it.
 */
import {
  type Action,
  type Event,
  type Membership,
  type NodeId,
  type RaftConfig,
  type RaftLog,
  RaftNode,
  type Role,
} from '@raft-io/core';

export interface SimNode {
  readonly id: NodeId;
  step(event: Event): Action[];
  role(): Role;
  term(): number;
  leader(): NodeId | null;
  isLeader(): boolean;
  commitIndex(): number;
  appliedIndex(): number;
  /** The membership in force; optional, so a broken test node need not have it. */
  membership?(): Membership;
  /** The newest log write's number (asynchronous storage writes); optional like `membership`. */
  writeSeq?(): number;
  /** Whether the node is quiesced (the `quiesce` option); optional like `membership`. */
  quiesced?(): boolean;
}

/** Builds a node on a log: a fresh one, or a restart when the log holds state. */
export type NodeFactory = (config: RaftConfig, log: RaftLog) => SimNode;

/** The real thing: `new RaftNode(config, log)`. */
export const raftNodeFactory: NodeFactory = (config, log) => new RaftNode(config, log);
