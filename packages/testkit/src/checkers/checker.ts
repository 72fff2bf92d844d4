/**
 * The hooks a safety checker receives from a driver (the simulator, or a test feeding
 * recorded data). A step is bracketed by `beginStep` / `endStep`; every log write during the
 * step is shown to `onWrite` as it happens; `apply` and `restore` actions as they are carried
 * out; `onRestart` when a node is rebuilt on its (durable) log after a crash.
 */
import type { ApplyAction, LogWrite, NodeId, RaftLog, RestoreAction, Role } from '@raft-io/core';
import type { SafetyProperty } from './violation.js';

/** The parts of a node's state the checkers look at, taken before and after a step. */
export interface NodeSnapshot {
  readonly role: Role;
  readonly term: number;
  readonly commitIndex: number;
}

/** The log's shape just before a write. */
export interface WriteContext {
  readonly lastIndex: number;
  readonly firstIndex: number;
}

/** Report a violation of this checker's property (or of `property` when given). */
export type Report = (detail: string, node?: NodeId, property?: SafetyProperty) => void;

export interface Checker {
  /** The property this checker guards (violations are reported under it by default). */
  readonly property: SafetyProperty;
  /** A step of `node` begins; `before` is its state. */
  beginStep?(node: NodeId, before: NodeSnapshot, log: RaftLog): void;
  /** `node` wrote `write` to its log (already applied to `log`); `prior` is the log's shape before it. */
  onWrite?(node: NodeId, write: LogWrite, log: RaftLog, prior: WriteContext, report: Report): void;
  /** The step of `node` ended with state `after` (not called for a step lost to a crash). */
  endStep?(node: NodeId, after: NodeSnapshot, log: RaftLog, report: Report): void;
  /** `node` (in its `incarnation`) carried out an `apply` action. */
  onApply?(node: NodeId, incarnation: number, action: ApplyAction, report: Report): void;
  /** `node` carried out a `restore` action. */
  onRestore?(node: NodeId, incarnation: number, action: RestoreAction, report: Report): void;
  /** `node` crashed (its volatile state is gone). */
  onCrash?(node: NodeId): void;
  /** `node` restarted on `log` as `incarnation`. */
  onRestart?(node: NodeId, incarnation: number, log: RaftLog, report: Report): void;
}
