/**
 * The replay format: what the replay view (`assets/replay-view.js`, type-checked against
 * this file) draws. One document is a run of a cluster as a sequence of steps; each step
 * says what happened (a node handled an event, a fault struck) and how the nodes' states
 * changed, and messages carry the steps at which they were sent and ended. The simulator's
 * trace fills it (`SimRecorder`); a model checker's counterexample (a short path of events
 * with the states after each) fits as it is: give every step the full state of every node
 * it changed. Self-contained (no imports), so the view's type check needs only the DOM.
 */

/** A node's state after a step. */
export interface ReplayNodeState {
  /** Running (false: crashed). */
  readonly up: boolean;
  /** Frozen: neither ticks nor messages reach it. */
  readonly paused: boolean;
  readonly role: 'follower' | 'pre-candidate' | 'candidate' | 'leader' | 'down';
  readonly term: number;
  readonly vote: number | null;
  /** The leader the node knows of. */
  readonly leader: number | null;
  readonly commit: number;
  readonly applied: number;
  /** The log: entries `first .. first + terms.length - 1`, each by its term (`first - 1` is the snapshot's index). */
  readonly log: { readonly first: number; readonly terms: readonly number[] };
}

/**
 * A change to a node's state: any fields of `ReplayNodeState`, and for the log the new first
 * index and the terms from index `from` on (what was at `from` and after is replaced). A
 * full state (with `log: { first, from: first, terms }`) is a valid patch.
 */
export interface ReplayNodePatch {
  readonly up?: boolean;
  readonly paused?: boolean;
  readonly role?: ReplayNodeState['role'];
  readonly term?: number;
  readonly vote?: number | null;
  readonly leader?: number | null;
  readonly commit?: number;
  readonly applied?: number;
  readonly log?: { readonly first: number; readonly from: number; readonly terms: readonly number[] };
}

/** What happened to a message in a step. */
export type ReplayNetEvent = 'sent' | 'delivered' | 'dropped' | 'duplicated';

export interface ReplayStep {
  /** Virtual time (the simulator's time units; `ReplayDoc.tickInterval` per tick). */
  readonly time: number;
  /** The node that stepped, or null for a fault or a note. */
  readonly node: number | null;
  readonly kind: 'step' | 'note';
  /** One line: the event the node handled, or the note's text. */
  readonly label: string;
  /** The node's actions, one line each. */
  readonly actions?: readonly string[];
  /** The nodes whose state changed, by id. */
  readonly nodes?: Readonly<Record<string, ReplayNodePatch>>;
  /** Messages sent, delivered or dropped in this step: [message id, what]. */
  readonly net?: readonly (readonly [number, ReplayNetEvent])[];
  /** The links that are cut after this step (`from->to`), when that changed. */
  readonly cut?: readonly string[];
}

export interface ReplayMessage {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly type: string;
  readonly term: number;
  /** One line. */
  readonly text: string;
  /** The step that sent it. */
  readonly sent: number;
  /** The step at which its last copy was delivered or dropped; null: still in flight at the end. */
  readonly end: number | null;
  /** How it ended: delivered, lost, cut, dropped (down), ... ; null while in flight. */
  readonly fate: string | null;
}

export interface ReplayViolation {
  /** The step after which it was detected. */
  readonly step: number;
  readonly property: string;
  readonly text: string;
  readonly node: number | null;
}

export interface ReplayDoc {
  readonly format: 'raft-io-replay';
  readonly version: 1;
  readonly title: string;
  /** Where it came from: the tool, and the command that reproduces it. */
  readonly source: { readonly tool: string; readonly command: string | null };
  readonly nodes: readonly number[];
  readonly tickInterval: number;
  /** Steps left out at the start (a long run keeps its last `maxSteps`); the first kept step holds full states. */
  readonly skipped: number;
  readonly steps: readonly ReplayStep[];
  readonly messages: readonly ReplayMessage[];
  readonly violation: ReplayViolation | null;
  /** Lines shown under the title (outcome, counts). */
  readonly summary: readonly string[];
}

/** A node the replay knows nothing of yet (the base every first patch applies to). */
export const EMPTY_NODE_STATE: ReplayNodeState = Object.freeze({
  up: false,
  paused: false,
  role: 'down',
  term: 0,
  vote: null,
  leader: null,
  commit: 0,
  applied: 0,
  log: Object.freeze({ first: 1, terms: [] }),
}) as ReplayNodeState;
