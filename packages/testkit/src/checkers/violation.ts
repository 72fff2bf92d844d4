/**
 * Violations: typed records of a broken property, with what is needed to replay them (the
 * seed) and to find them in a trace (the step number and virtual time).
 */
import type { NodeId } from '@raft-io/core';

/** The properties the simulator checks. The first five are the Raft paper's Figure 3. */
export type SafetyProperty =
  | 'election-safety'
  | 'leader-append-only'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'liveness'
  | 'linearizability'
  /** A node threw from `step` on an event it must accept (a tick or a message), or broke the log contract. */
  | 'node-error';

export const SAFETY_PROPERTIES: readonly SafetyProperty[] = Object.freeze([
  'election-safety',
  'leader-append-only',
  'log-matching',
  'leader-completeness',
  'state-machine-safety',
  'liveness',
  'linearizability',
  'node-error',
]);

export interface Violation {
  readonly property: SafetyProperty;
  /** The simulation seed (0 when checking recorded data outside a simulation). */
  readonly seed: number;
  /** The number of node steps taken when it was detected. */
  readonly step: number;
  /** Virtual time when it was detected (time units; 0 outside a simulation). */
  readonly time: number;
  /** The node whose step revealed it, if one did. */
  readonly node?: NodeId;
  /** What exactly went wrong, with indexes, terms and nodes. */
  readonly detail: string;
}

/** One line: `property at step S (node N): detail`. */
export function formatViolation(v: Violation): string {
  return `${v.property} at step ${v.step}${v.node === undefined ? '' : ` (node ${v.node})`}: ${v.detail}`;
}
