/**
 * The plain data types of the protocol: node ids, log entries, hard state, membership and
 * snapshots. Everything here is a plain object that a log or a wire codec can store as is.
 */

/** A node's id: a positive safe integer, unique within a cluster. */
export type NodeId = number;

/**
 * What a log entry carries.
 * - `command`: a user command, handed to the state machine through an `apply` action.
 * - `empty`: the entry a new leader appends to commit earlier terms' entries (Figure 8 rule).
 * - `membership`: an encoded membership change (see `membership.ts`).
 */
export type EntryType = 'command' | 'empty' | 'membership';

/** One log entry. Invariant: `index >= 1`, `term >= 1`. */
export interface Entry {
  readonly index: number;
  readonly term: number;
  readonly type: EntryType;
  /** The command bytes; empty for `empty` entries, encoded change for `membership`. */
  readonly data: Uint8Array;
}

/**
 * What a node must remember across a crash besides its entries.
 * Invariant: `term` never decreases; `vote` is only ever set once per term.
 */
export interface HardState {
  readonly term: number;
  /** The candidate this node voted for in `term`, or null. */
  readonly vote: NodeId | null;
  /** The highest index known committed; a restarted node may apply up to it again. */
  readonly commit: number;
}

/**
 * The cluster's members. `outgoingVoters` is non-empty only during a joint-consensus change:
 * decisions then need a majority of `voters` and a majority of `outgoingVoters`.
 * Learners receive the log but never vote and never count toward a quorum.
 */
export interface Membership {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly outgoingVoters: readonly NodeId[];
  /**
   * What the membership says about its members, by node id: where each one is reached and the
   * application's opaque metadata. Replicated with the membership (log and snapshots), so
   * every node knows every member's address; a removed member's is dropped. Absent when no
   * member has any.
   */
  readonly info?: Readonly<Record<NodeId, MemberInfo>>;
}

/** A member's address and metadata, as given when it was added (printable ASCII). */
export interface MemberInfo {
  /** Where the member's Raft transport listens, in the driver's format (e.g. `host:port`). */
  readonly address?: string;
  /** Opaque to Raft: the application's own (the kv demo puts the member's HTTP URL here). */
  readonly metadata?: string;
}

/** Identifies a snapshot: the last index and term it covers and the membership at that index. */
export interface SnapshotMetadata {
  readonly index: number;
  readonly term: number;
  readonly membership: Membership;
  /**
   * CRC32C of the snapshot's data, set by a leader that sends it: the follower refuses a
   * snapshot whose assembled bytes do not match. Absent in a snapshot as stored, except with
   * `snapshotStreaming`, where the stored metadata describes the driver's snapshot file.
   */
  readonly checksum?: number;
  /**
   * With `snapshotStreaming` (docs/decisions.md D28): the size in bytes of the snapshot's data,
   * which the driver keeps outside the core (a file) and the `Snapshot`'s `data` is empty.
   * Never sent on the wire (a follower counts what it received). Absent otherwise.
   */
  readonly bytes?: number;
}

/** A state-machine snapshot: its metadata and the application's bytes. */
export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  readonly data: Uint8Array;
}

/** The role a node plays in its current term. */
export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, vote: null, commit: 0 });
