/**
 * The inputs of `RaftNode.step`. Time is logical: the driver feeds `tick` at a fixed rate;
 * all else is a message from a peer or a request from the application.
 */
import type { Message } from './messages.js';
import type { MemberInfo, NodeId } from './types.js';

/** One logical clock tick. Election and heartbeat timeouts are counted in ticks. */
export interface TickEvent {
  readonly type: 'tick';
}

/**
 * Propose commands on the leader. `command` for one, `commands` for a batch that goes into
 * one append. Answered by an `accepted` action with the indexes assigned; throws
 * `NotLeaderError` on a non-leader.
 */
export type ProposeEvent =
  | { readonly type: 'propose'; readonly command: Uint8Array; readonly commands?: undefined }
  | { readonly type: 'propose'; readonly commands: readonly Uint8Array[]; readonly command?: undefined };

/** A message that arrived from a peer, exactly as a `send` action produced it. */
export interface MessageEvent {
  readonly type: 'message';
  readonly message: Message;
}

/**
 * A linearizable read with a caller-chosen `id` (ReadIndex, §6.4). Answered later by a
 * `read-ready` action (serve the read from the state machine then) or `read-failed`.
 */
export interface ReadEvent {
  readonly type: 'read';
  readonly id: string;
}

/** Start an election now (pre-vote first when enabled), as if the election timeout fired. */
export interface CampaignEvent {
  readonly type: 'campaign';
}

/** Hand leadership to `to` (§3.10). Only on the leader. */
export interface TransferLeadershipEvent {
  readonly type: 'transfer-leadership';
  readonly to: NodeId;
}

/**
 * One membership change. An added (or promoted, or demoted) member may carry its `address`
 * and `metadata` (printable ASCII, at most 256 and 4096 characters), replicated with the
 * membership; without them it keeps what it had. A removed member's are dropped.
 */
export type MembershipChange =
  | ({ readonly type: 'add-voter'; readonly id: NodeId } & MemberInfo)
  | ({ readonly type: 'add-learner'; readonly id: NodeId } & MemberInfo)
  | { readonly type: 'remove'; readonly id: NodeId };

/**
 * Change the membership (on the leader). One change is a single-server change; several
 * changes go through joint consensus and the leader leaves the joint state by itself.
 */
export interface ChangeMembershipEvent {
  readonly type: 'change-membership';
  readonly changes: readonly MembershipChange[];
}

/**
 * The application took a snapshot of its state machine at applied `index`: the node stores
 * it and compacts its log behind it (an index at or below the stored snapshot, or below the
 * membership entry that added a node that joined with no voters, is ignored). With
 * `snapshotStreaming` (docs/decisions.md D28) the driver wrote the snapshot to a durable
 * file of its own (named by the index and the term of the entry at it) before this event,
 * and gives its size `bytes` and CRC32C `checksum` instead of `data`; it keeps that file
 * while the log's snapshot or a transfer needs it.
 */
export type SnapshotEvent =
  | {
      readonly type: 'snapshot';
      readonly index: number;
      readonly data: Uint8Array;
      readonly bytes?: undefined;
      readonly checksum?: undefined;
    }
  | {
      readonly type: 'snapshot';
      readonly index: number;
      readonly bytes: number;
      readonly checksum: number;
      readonly data?: undefined;
    };

/**
 * Hand out more of the committed entries that `maxApplyBytesPerStep` held back (when
 * `appliedIndex() < commitIndex()`), with no other effect.
 */
export interface AdvanceEvent {
  readonly type: 'advance';
}

/**
 * The driver's answer to a `restore` action that carried `confirm: true` (see the
 * `confirmRestore` option): `ok` when the state machine now holds the snapshot at `index`;
 * false when restoring it failed, and the state machine kept its old state.
 */
export interface RestoreResultEvent {
  readonly type: 'restore-result';
  readonly index: number;
  readonly ok: boolean;
}

/**
 * With `asyncStorageWrites`: every log write numbered `seq` or lower (the n-th `RaftLog.write`
 * of this node since it was constructed is number n; see `RaftNode.writeSeq()`) is durable.
 * A report at or below one already given is a no-op.
 */
export interface PersistedEvent {
  readonly type: 'persisted';
  readonly seq: number;
}

/**
 * Wake a quiesced node (`quiesce`; see quiescence.ts): it takes part in time again. With
 * `leaderUnreachable` the driver tells a quiesced follower that its leader's host is gone
 * (its driver's host-level liveness, which stands in for the group's heartbeats, expired):
 * the follower forgets the leader and campaigns within one election timeout. A node that is
 * not quiesced ignores this event.
 */
export interface WakeEvent {
  readonly type: 'wake';
  readonly leaderUnreachable?: boolean;
}

export type Event =
  | TickEvent
  | WakeEvent
  | PersistedEvent
  | RestoreResultEvent
  | AdvanceEvent
  | ProposeEvent
  | MessageEvent
  | ReadEvent
  | CampaignEvent
  | TransferLeadershipEvent
  | ChangeMembershipEvent
  | SnapshotEvent;
