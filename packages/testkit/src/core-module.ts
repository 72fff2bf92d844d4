/**
 * The slice of `@raft-io/core` that the interaction scripts and the model checker drive: the
 * `RaftNode` constructor and the public surface of a node (DESIGN.md's contract). Passing
 * another module with this shape (a fork, a patched copy of the core) checks that build
 * instead of the installed one.
 */
import {
  type Action,
  type Event,
  type Membership,
  type NodeId,
  type RaftConfig,
  type RaftLog,
  RaftNode,
  type RaftStatus,
} from '@raft-io/core';
import { isRaftError } from './raft-error.js';

/** A node as the drivers see it: only the public contract. */
export interface CoreNode {
  readonly id: NodeId;
  step(event: Event): Action[];
  term(): number;
  commitIndex(): number;
  isLeader(): boolean;
  leader(): NodeId | null;
  status(): RaftStatus;
  membership(): Membership;
}

/** A module that exports a `RaftNode` class with the core's constructor. */
export interface CoreModule {
  readonly RaftNode: new (config: RaftConfig, log: RaftLog) => CoreNode;
}

/** The installed `@raft-io/core`. */
export const installedCore: CoreModule = { RaftNode };

/** The `code` of a `RaftError` from any build of the core (see `isRaftError`), else null. */
export function errorCode(err: unknown): string | null {
  return isRaftError(err) ? err.code : null;
}
