/**
 * The errors `RaftServer` adds to core's: each is a `RaftError` with a stable `code`, so callers branch on `code` (or `instanceof`) for every failure the
 * server reports. Errors the core raises (`NotLeaderError`, `LeadershipLostError`,
 * `StorageError`, ...) pass through unchanged, except that a proposal on a follower is
 * answered with `ForwardToLeaderError`, a `NotLeaderError` that also names the leader's
 * address when the server knows it.
 */
import { type NodeId, NotLeaderError, RaftError } from '@raft-io/core';

/**
 * The request needs the leader. `leader` is the leader this node knows of (null during an
 * election) and `leaderAddress` its transport address when the server knows it (from the TCP
 * peers option). Code `NOT_LEADER`; an `instanceof NotLeaderError`.
 */
export class ForwardToLeaderError extends NotLeaderError {
  constructor(
    leader: NodeId | null,
    nodeId: NodeId,
    readonly leaderAddress: string | null = null,
  ) {
    super(leader, nodeId);
  }
}

/**
 * The request did not finish within its deadline. For a proposal that was already handed to
 * the log the outcome is unknown: it may still commit. Code `TIMEOUT`.
 */
export class TimeoutError extends RaftError {
  constructor(
    readonly timeoutMs: number,
    what = 'request',
  ) {
    super('TIMEOUT', `${what} timed out after ${timeoutMs} ms; the outcome is unknown`);
  }
}

/**
 * The caller's `AbortSignal` fired. A proposal that was already handed to the log may still
 * commit. Code `ABORTED`; `cause` is the signal's reason.
 */
export class AbortedError extends RaftError {
  constructor(reason?: unknown) {
    super('ABORTED', 'request aborted; the outcome is unknown', { cause: reason });
  }
}

/**
 * The server is closed (or closing, or stopped by a fatal storage error, given as `cause`).
 * Code `CLOSED`.
 */
export class ServerClosedError extends RaftError {
  constructor(message = 'the raft server is closed', options?: { cause?: unknown }) {
    super('CLOSED', message, options);
  }
}

/**
 * Too many requests wait (`maxPendingProposals` / `maxPendingReads`): back off and retry.
 * Code `PENDING_LIMIT` (core's `UNCOMMITTED_LIMIT` is the other back-off answer, when the
 * leader's uncommitted bytes pass `maxUncommittedEntriesSize`).
 */
export class PendingLimitError extends RaftError {
  constructor(
    readonly limit: number,
    what = 'proposals',
  ) {
    super('PENDING_LIMIT', `too many pending ${what} (limit ${limit}); back off and retry`);
  }
}

/**
 * A proposal failed with an error that was raised elsewhere: on the leader that served a
 * forwarded proposal (its code, e.g. `TIMEOUT`, `PENDING_LIMIT`, `UNCOMMITTED_LIMIT`,
 * `SESSION_REFUSED`), or by the state machine (`APPLY_FAILED`, or the thrown error's own
 * `code`), when it threw on the leader for a forwarded proposal or on the first application
 * of a session proposal that was then retried. `errorName` is the original error's name and
 * `nodeId` the node that raised it.
 */
export class ProposalError extends RaftError {
  constructor(
    code: string,
    message: string,
    readonly errorName: string,
    readonly nodeId: NodeId,
  ) {
    super(code, message);
  }
}

/**
 * A retried session proposal was applied before, at `index`, but its result was not kept
 * (larger than `sessionLimits.maxResultBytes`, or not encodable). Code `RESULT_NOT_KEPT`.
 */
export class ResultNotKeptError extends RaftError {
  constructor(readonly index: number) {
    super('RESULT_NOT_KEPT', `the proposal was applied at index ${index}; its result was not kept`);
  }
}

/** Why a backup was refused (`BackupError.reason`). */
export type BackupErrorReason =
  | 'not-a-backup'
  | 'unsupported-version'
  | 'truncated'
  | 'malformed'
  | 'checksum-mismatch'
  | 'too-large';

/**
 * A backup file (or stream) is not a whole, valid raft-io backup: not one at all, of a newer
 * format, cut short, malformed, damaged (its SHA-256 does not match), or larger than allowed.
 * Nothing was restored from it. Code `BACKUP_INVALID`; `reason` says which.
 */
export class BackupError extends RaftError {
  constructor(
    readonly reason: BackupErrorReason,
    message: string,
  ) {
    super('BACKUP_INVALID', `invalid backup (${reason}): ${message}`);
  }
}
