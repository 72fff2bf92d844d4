/**
 * Messages between nodes. Every message carries `type`, `from`, `to` and `term`; a driver
 * moves a `send` action's message to node `to` unchanged. Messages may be lost, duplicated,
 * delayed or reordered: every handler in `RaftNode` tolerates all four.
 */
import type { Entry, NodeId, SnapshotMetadata } from './types.js';

interface MessageBase {
  readonly from: NodeId;
  readonly to: NodeId;
  /** The sender's term (for a pre-vote request: the term the sender would campaign in). */
  readonly term: number;
}

/** RequestVote (§5.2) or, with `preVote`, the PreVote probe of the dissertation §9.6. */
export interface RequestVoteMessage extends MessageBase {
  readonly type: 'request-vote';
  readonly preVote: boolean;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** Set during leadership transfer: the voter ignores leader stickiness (§3.10). */
  readonly transfer: boolean;
}

export interface RequestVoteResponseMessage extends MessageBase {
  readonly type: 'request-vote-response';
  readonly preVote: boolean;
  readonly granted: boolean;
}

/** AppendEntries (§5.3): entries after (`prevLogIndex`, `prevLogTerm`), and the leader's commit. */
export interface AppendEntriesMessage extends MessageBase {
  readonly type: 'append-entries';
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
}

/**
 * The answer to AppendEntries. On success `index` is the last index the follower now
 * matches. On rejection `index` is the rejected `prevLogIndex`, and (`hintIndex`, `hintTerm`)
 * is the fast back-off hint: the follower's last index at or below `index` whose term is at
 * most the leader's `prevLogTerm`, so the leader skips a whole term per round trip.
 */
export interface AppendEntriesResponseMessage extends MessageBase {
  readonly type: 'append-entries-response';
  readonly success: boolean;
  readonly index: number;
  readonly hintIndex: number;
  readonly hintTerm: number;
}

/**
 * Leader heartbeat. `commit` is at most the follower's known match so a follower never
 * commits an entry it might not hold. `context` is the leader's read-index round (0: none).
 * `quiesce` (only from a leader with the `quiesce` option): the group goes to sleep; a
 * follower that also has the option stops its election timer and does not answer.
 */
export interface HeartbeatMessage extends MessageBase {
  readonly type: 'heartbeat';
  readonly commit: number;
  readonly context: number;
  readonly quiesce?: boolean;
}

export interface HeartbeatResponseMessage extends MessageBase {
  readonly type: 'heartbeat-response';
  readonly context: number;
}

/** One chunk of a snapshot (§7): bytes `[offset, offset + data.length)` of the snapshot data. */
export interface InstallSnapshotMessage extends MessageBase {
  readonly type: 'install-snapshot';
  readonly metadata: SnapshotMetadata;
  readonly offset: number;
  readonly data: Uint8Array;
  /** True on the last chunk. */
  readonly done: boolean;
}

/**
 * The answer to a snapshot chunk: `offset` is the next byte the follower expects (a lost
 * chunk is resent from there); `done` once the snapshot is installed; `reject` when the
 * follower will not take this snapshot.
 */
export interface InstallSnapshotResponseMessage extends MessageBase {
  readonly type: 'install-snapshot-response';
  readonly snapshotIndex: number;
  readonly offset: number;
  readonly done: boolean;
  readonly reject: boolean;
}

/** Leadership transfer (§3.10): the target starts an election at once, ignoring pre-vote. */
export interface TimeoutNowMessage extends MessageBase {
  readonly type: 'timeout-now';
}

/** A follower asks the leader for a read index on behalf of its read `id`. */
export interface ReadIndexMessage extends MessageBase {
  readonly type: 'read-index';
  readonly id: string;
}

/** The leader's answer: the read may be served once `index` is applied; `ok` false: retry. */
export interface ReadIndexResponseMessage extends MessageBase {
  readonly type: 'read-index-response';
  readonly id: string;
  readonly index: number;
  readonly ok: boolean;
}

export type Message =
  | RequestVoteMessage
  | RequestVoteResponseMessage
  | AppendEntriesMessage
  | AppendEntriesResponseMessage
  | HeartbeatMessage
  | HeartbeatResponseMessage
  | InstallSnapshotMessage
  | InstallSnapshotResponseMessage
  | TimeoutNowMessage
  | ReadIndexMessage
  | ReadIndexResponseMessage;

export type MessageType = Message['type'];

/** Every message type, for codecs and exhaustive tests. */
export const MESSAGE_TYPES: readonly MessageType[] = Object.freeze([
  'request-vote',
  'request-vote-response',
  'append-entries',
  'append-entries-response',
  'heartbeat',
  'heartbeat-response',
  'install-snapshot',
  'install-snapshot-response',
  'timeout-now',
  'read-index',
  'read-index-response',
] as const);
