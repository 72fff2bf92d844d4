/**
 * The wire format of the live cluster view: what `GET /events` streams (Server-Sent Events)
 * and what the page (`view/app.js`, type-checked against this file) reads. Self-contained on
 * purpose (no imports), so the page's type check needs nothing but the DOM library.
 *
 * The stream of one node: first a `hello` event (its state and its recent history), then a
 * `state` event whenever something changed (coalesced, at most every `LIVE_PUSH_MS`) and at
 * least every `LIVE_HEARTBEAT_MS`, and an `event` event for each timeline entry.
 */

/** A node's replication link to one peer, as this node sees it. */
export interface LivePeer {
  readonly id: number;
  /** This node's outbound Raft connection to the peer is up (handshake done). */
  readonly connected: boolean;
  /** Raft traffic to and from the peer is dropped here (a partition made by the launcher). */
  readonly blocked: boolean;
  /** Raft messages waiting in the outbound queue to the peer. */
  readonly queued: number;
  /** On the leader: the follower's replication progress; else null. */
  readonly progress: {
    readonly match: number;
    readonly next: number;
    readonly state: 'probe' | 'replicate' | 'snapshot';
    /** Appends sent and not yet acknowledged. */
    readonly inflight: number;
    /** Ticks since the follower last answered. */
    readonly silentTicks: number;
  } | null;
  /** On the leader: entries the follower lacks (`lastIndex - match`); else null. */
  readonly lag: number | null;
}

/** What the launcher (`kv cluster`) knows of a node's process. */
export type ProcessState = 'running' | 'starting' | 'stopping' | 'stopped' | 'paused';

/** One node's state, as it streams it. */
export interface LiveNodeState {
  readonly id: number;
  /** This node's HTTP base URL. */
  readonly url: string | null;
  /** Where this node's Raft transport listens, `host:port` (to add it back after a removal). */
  readonly raft: string | null;
  readonly role: 'follower' | 'pre-candidate' | 'candidate' | 'leader';
  readonly term: number;
  /** Whom this node voted for in `term`. */
  readonly vote: number | null;
  /** The leader this node believes in. */
  readonly leader: number | null;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly snapshotIndex: number;
  /** Keys in the state machine. */
  readonly keys: number;
  /** A committed membership removed this node. */
  readonly removed: boolean;
  readonly lifecycle: string;
  /** The members in force on this node, with the URL each is known by. */
  readonly members: readonly { readonly id: number; readonly url: string | null; readonly voter: boolean }[];
  readonly peers: readonly LivePeer[];
  /** Peers this node drops Raft traffic to and from (empty: not partitioned). */
  readonly blocked: readonly number[];
  /** Present when the node runs under `kv cluster`: the launcher's view of every process. */
  readonly processes: Readonly<Record<string, ProcessState>> | null;
  /** Wall-clock time of this state, ms since the epoch. */
  readonly at: number;
}

/** One entry of a node's timeline. */
export interface LiveEvent {
  /** Per node, increasing from 1 in a process's life. */
  readonly seq: number;
  readonly node: number;
  /** Wall-clock time, ms since the epoch. */
  readonly at: number;
  readonly kind:
    | 'started'
    | 'role'
    | 'leader'
    | 'term'
    | 'membership'
    | 'removed'
    | 'snapshot'
    | 'restore'
    | 'partition'
    | 'error';
  readonly term: number;
  /** One line for people. */
  readonly text: string;
}

/** The first message of a stream. */
export interface LiveHello {
  readonly state: LiveNodeState;
  /** The node's most recent timeline entries, oldest first. */
  readonly history: readonly LiveEvent[];
}
