/**
 * The outputs of `RaftNode.step`. A driver carries out a step's actions in the order
 * returned. When `step` returns, everything the node must remember has already been handed
 * to its `RaftLog`; if the log holds writes open (group commit), the driver makes them
 * durable (`RaftLog.sync`) before it carries out any action for which
 * `needsDurableLog(action)` is true: a `send` or an `apply`, and the actions that report
 * what is committed (`membership`, `removed`, `restore`, `read-ready`).
 *
 * With `asyncStorageWrites` (docs/decisions.md D21) the driver carries out every action at
 * once and reports durability with the `persisted` event: the node itself withholds the
 * messages that promise durable state and applies nothing beyond its durable index.
 */
import type { RaftError } from './errors.js';
import type { InstallSnapshotMessage, Message } from './messages.js';
import type { Membership, NodeId, Role, Snapshot, SnapshotMetadata } from './types.js';

/**
 * Deliver `message` to node `to`, unchanged. May be dropped, delayed or duplicated by the
 * network: the protocol copes. Never sent before the state it promises is in the log.
 */
export interface SendAction {
  readonly type: 'send';
  readonly to: NodeId;
  readonly message: Message;
}

/**
 * Apply a committed command to the state machine. Emitted strictly in log order, once per
 * committed command entry in a node's lifetime (a restarted node may re-apply from its last
 * snapshot). The driver resolves the proposal that was `accepted` at this index and term.
 */
export interface ApplyAction {
  readonly type: 'apply';
  readonly index: number;
  readonly term: number;
  readonly command: Uint8Array;
}

/**
 * The membership entry at `index` is committed and applied. (A membership is in force from
 * the moment its entry is in the log; this reports the committed one, e.g. to add or drop
 * transport peers.)
 */
export interface MembershipAction {
  readonly type: 'membership';
  readonly index: number;
  readonly term: number;
  readonly membership: Membership;
}

/**
 * Replace the state machine with `snapshot.data` (install-snapshot from the leader, or a
 * restart that begins at a snapshot). With `snapshotStreaming` the data is empty: restore from
 * the driver's snapshot file for `snapshot.metadata` (`bytes` long, CRC32C `checksum`). Comes before any `apply` of a later index. With
 * `confirm: true` (a snapshot received from the leader, with the `confirmRestore` option),
 * the node has not stored it yet: the driver restores without changing anything if that
 * fails, and answers with a `restore-result` event; only an `ok` result makes the snapshot
 * replace the log's, so a snapshot the state machine cannot load never reaches the disk.
 */
export interface RestoreAction {
  readonly type: 'restore';
  readonly snapshot: Snapshot;
  readonly confirm?: boolean;
}

/**
 * A `propose` was appended at `firstIndex..lastIndex` in `term`. The proposal succeeded if
 * and only if an `apply` arrives at that index with that term; an `apply` at the index with
 * another term means it was lost with the leadership.
 */
export interface AcceptedAction {
  readonly type: 'accepted';
  /** `commands` for a `propose`; `membership` for a `change-membership` (one entry). */
  readonly kind: 'commands' | 'membership';
  readonly term: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
}

/**
 * The read `id` may now be served from the state machine: it has applied at least `index`,
 * the read index confirmed by a quorum. Comes after the `apply` actions up to `index`.
 */
export interface ReadReadyAction {
  readonly type: 'read-ready';
  readonly id: string;
  readonly index: number;
}

/** The read `id` cannot be served by this node (leadership lost, leader unknown): retry. */
export interface ReadFailedAction {
  readonly type: 'read-failed';
  readonly id: string;
  readonly error: RaftError;
}

/**
 * A committed membership entry at `index` removed this node. It no longer campaigns; the
 * driver may surface this (an event, a status field) and shut the node down. If a later
 * membership adds it back, it simply takes part again.
 */
export interface RemovedAction {
  readonly type: 'removed';
  readonly index: number;
  readonly term: number;
}

/** The node's role, term or known leader changed. For status displays and events. */
export interface StateChangedAction {
  readonly type: 'state-changed';
  readonly role: Role;
  readonly term: number;
  readonly leader: NodeId | null;
}

/**
 * With `snapshotStreaming` (docs/decisions.md D28), instead of a `send` of a snapshot chunk:
 * read `length` bytes at `message.offset` of the snapshot file `message.metadata` names (its
 * index and term; the leader's stored snapshot or the one pinned for transfers, see
 * `RaftNode.pinnedSnapshot()`), put them in `message.data` (empty here) and deliver the
 * message to `to` like a `send`. The file holds `offset + length` bytes at least (the core
 * computed `length` from the stored `bytes`). The read may finish after later actions:
 * chunks may arrive in any order, the follower copes.
 */
export interface SendSnapshotChunkAction {
  readonly type: 'send-snapshot-chunk';
  readonly to: NodeId;
  readonly message: InstallSnapshotMessage;
  readonly length: number;
}

/**
 * With `snapshotStreaming`: a chunk of a snapshot from the leader was accepted; write `data`
 * at `offset` of the file receiving `metadata`'s snapshot. Offset 0 starts a new snapshot
 * (drop any partial one). Chunks come in offset order without gaps; the driver writes them in
 * the order given. The snapshot is complete when `restore` with `confirm: true` names it: the
 * driver makes the file durable, restores from it, and answers `restore-result`. The core
 * keeps none of these bytes (and checked them against the leader's checksum as they passed).
 */
export interface WriteSnapshotChunkAction {
  readonly type: 'write-snapshot-chunk';
  readonly metadata: SnapshotMetadata;
  readonly offset: number;
  readonly data: Uint8Array;
}

export type Action =
  | SendAction
  | SendSnapshotChunkAction
  | WriteSnapshotChunkAction
  | ApplyAction
  | MembershipAction
  | RestoreAction
  | AcceptedAction
  | ReadReadyAction
  | ReadFailedAction
  | RemovedAction
  | StateChangedAction;

/**
 * Whether the driver may carry out `action` only after the step's log writes are durable.
 * True for `send` and `send-snapshot-chunk` (a message may promise a vote or an entry), `apply`, `membership`,
 * `removed`, `restore` and `read-ready` (they act on what is committed, and a commit that
 * a crash could undo must not be acted on). `write-snapshot-chunk`, `accepted`, `read-failed`
 * and `state-changed` promise nothing and may be carried out at once. (With `asyncStorageWrites` no action waits.)
 */
export function needsDurableLog(action: Action): boolean {
  // A type unknown at run time is treated as needing the log: the safe side.
  return Object.hasOwn(DURABLE_LOG_NEEDED, action.type) ? DURABLE_LOG_NEEDED[action.type] : true;
}

/** Per action type; a `Record` over the union, so a new action type must be placed here. */
const DURABLE_LOG_NEEDED: Readonly<Record<Action['type'], boolean>> = {
  send: true,
  'send-snapshot-chunk': true,
  apply: true,
  membership: true,
  removed: true,
  restore: true,
  'read-ready': true,
  'write-snapshot-chunk': false,
  accepted: false,
  'read-failed': false,
  'state-changed': false,
};
