/**
 * Typed errors with stable `code`s. Callers branch on `code` (or `instanceof`), never on the
 * message text. API errors (bad input, wrong role) are thrown before the step changes anything
 * and leave the node intact. A `StorageError` or an `InvariantError` is fatal: the step's
 * pending writes and actions are discarded and the node refuses every later step, since it
 * can no longer promise what it has written (restart it from its log).
 */
import type { NodeId } from './types.js';

/** The codes the core itself raises. */
export type CoreErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_ARGUMENT'
  | 'NOT_LEADER'
  | 'LEADERSHIP_LOST'
  | 'UNCOMMITTED_LIMIT'
  | 'MEMBERSHIP_CHANGE_PENDING'
  | 'TRANSFER_IN_PROGRESS'
  | 'COMPACTED'
  | 'UNAVAILABLE'
  | 'STORAGE'
  | 'INVARIANT'
  | 'TERM_EXHAUSTED'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CLOSED';

/**
 * A stable error code: one of the core's, or a package's own (e.g. `INVALID_FRAME` from
 * @raft-io/framing). Codes are SCREAMING_SNAKE_CASE and never change meaning.
 */
export type RaftErrorCode = CoreErrorCode | (string & {});

export class RaftError extends Error {
  readonly code: RaftErrorCode;

  constructor(code: RaftErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A config or option is invalid; `field` names it. */
export class InvalidConfigError extends RaftError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('INVALID_CONFIG', `invalid config: ${field}: ${message}`);
  }
}

/** An event or call argument is malformed (e.g. a non-Uint8Array command). */
export class InvalidArgumentError extends RaftError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** The request needs the leader; `leader` is the leader this node knows of, if any. */
export class NotLeaderError extends RaftError {
  constructor(
    readonly leader: NodeId | null,
    readonly nodeId?: NodeId,
  ) {
    super(
      'NOT_LEADER',
      leader === null
        ? `node ${nodeId ?? '?'} is not the leader and knows no leader`
        : `node ${nodeId ?? '?'} is not the leader; the leader is node ${leader}`,
    );
  }
}

/** The node lost leadership while the request was in flight: its outcome is unknown. */
export class LeadershipLostError extends RaftError {
  constructor(message = 'leadership lost; the outcome is unknown') {
    super('LEADERSHIP_LOST', message);
  }
}

/** The leader holds more uncommitted bytes than `maxUncommittedEntriesSize`: back off. */
export class UncommittedLimitError extends RaftError {
  constructor(
    readonly limit: number,
    readonly size: number,
  ) {
    super('UNCOMMITTED_LIMIT', `proposal dropped: ${size} uncommitted bytes would exceed the limit ${limit}`);
  }
}

/** A membership change is already in progress (one change at a time, §4.1). */
export class MembershipChangePendingError extends RaftError {
  constructor(message = 'a membership change is already in progress') {
    super('MEMBERSHIP_CHANGE_PENDING', message);
  }
}

/** A leadership transfer is in progress; proposals are refused until it ends. */
export class TransferInProgressError extends RaftError {
  constructor(readonly target: NodeId) {
    super('TRANSFER_IN_PROGRESS', `leadership transfer to node ${target} in progress`);
  }
}

/** The requested index was compacted into a snapshot (a `RaftLog` read failure). */
export class CompactedError extends RaftError {
  constructor(readonly index: number) {
    super('COMPACTED', `index ${index} is compacted`);
  }
}

/** The requested index is past the end of the log (a `RaftLog` read failure). */
export class UnavailableError extends RaftError {
  constructor(readonly index: number) {
    super('UNAVAILABLE', `index ${index} is not in the log yet`);
  }
}

/** The log store failed to read or write. Fatal: stop the node. */
export class StorageError extends RaftError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORAGE', message, options);
  }
}

/**
 * A state the protocol says is impossible (a conflict at or below the commit index, two
 * leaders in one term, a compacted log without a snapshot). Fatal: the node stops rather than
 * silently skip it; `invariant` names the rule that broke. A peer that breaks the protocol
 * (a bug, a forged message from a holder of cluster credentials) can cause it.
 */
export class InvariantError extends RaftError {
  constructor(
    readonly invariant: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super('INVARIANT', `invariant violated: ${invariant}: ${detail}`, options);
  }
}

/**
 * The term reached `MAX_TERM`: this node can no longer start an election. Not fatal (it still
 * follows a leader), but the cluster needs an operator: terms this high only come from a
 * forged message or a runaway bug.
 */
export class TermExhaustedError extends RaftError {
  constructor(readonly term: number) {
    super('TERM_EXHAUSTED', `term ${term} is at the ceiling; this node cannot campaign`);
  }
}

/** Marks a switch that must cover every member of a union: a missing case is a compile error. */
export function assertNever(value: never, what: string): never {
  const v = value as unknown;
  const shown = v !== null && typeof v === 'object' && 'type' in v ? String(v.type) : String(v);
  throw new InvariantError('exhaustive-switch', `unhandled ${what}: ${shown}`);
}
