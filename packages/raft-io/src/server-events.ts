/**
 * The events a `RaftServer` emits (it is a typed Node `EventEmitter`), and its status.
 * Listeners run synchronously inside the driver loop: keep them short and never throw.
 */
import type { Membership, NodeId, RaftError, RaftStatus, Role } from '@raft-io/core';
import type {
  LeaderContact,
  PeerHealth,
  SnapshotTransferEnd,
  SnapshotTransferProgress,
} from './peer-health.js';

/** The node's role, term and known leader. */
export interface ServerState {
  readonly role: Role;
  readonly term: number;
  readonly leader: NodeId | null;
}

/** Event name -> listener arguments. */
export interface RaftServerEvents {
  /** Role, term or leader changed (one event per change, after the change). */
  'state-changed': [state: ServerState, previous: ServerState];
  /** The role changed. */
  role: [role: Role, previous: Role];
  /** The known leader changed (null: none known, e.g. during an election). */
  leader: [leader: NodeId | null, previous: NodeId | null];
  /** The term changed. */
  term: [term: number, previous: number];
  /** Commands were applied to the state machine; `index` is the last applied (once per batch). */
  applied: [index: number];
  /** A committed membership entry took effect. */
  membership: [membership: Membership, index: number];
  /**
   * A committed membership entry at `index` removed this node: it no longer campaigns and
   * `status().removed` is true. Shut the server down, or wait to be added back.
   */
  removed: [index: number];
  /** The server took a snapshot of the state machine and compacted the log behind it. */
  snapshot: [index: number, bytes: number];
  /** The state machine was restored from a snapshot at `index`. */
  restore: [index: number];
  /**
   * A fatal error (storage failure, a broken state machine): the server has stopped and
   * rejected everything pending. Emitted only when a listener is registered.
   */
  error: [error: RaftError];
  /** The server is closed: every handle is released. */
  close: [];
  /**
   * On the leader: `peer` has not answered for `health.unreachableAfterTicks` ticks (down,
   * partitioned, or too slow to answer a heartbeat).
   */
  'peer-unreachable': [peer: PeerHealth];
  /** On the leader: an unreachable `peer` answered again after `downMs` milliseconds. */
  'peer-recovered': [peer: PeerHealth, downMs: number];
  /** On the leader: `peer` fell behind by more than `health.laggingEntries` or `health.laggingBytes`. */
  'peer-lagging': [peer: PeerHealth];
  /** On the leader: a lagging `peer` is back under half of both thresholds. */
  'peer-caught-up': [peer: PeerHealth];
  /** On the leader: a snapshot started going to `peer` (it needs entries the log no longer holds). */
  'snapshot-transfer-started': [peer: PeerHealth, transfer: SnapshotTransferProgress];
  /** On the leader: a snapshot transfer to `peer` ended, `installed` or `abandoned`. */
  'snapshot-transfer-finished': [peer: PeerHealth, transfer: SnapshotTransferEnd];
}

/** Where the server is in its life. */
export type ServerLifecycle = 'new' | 'starting' | 'running' | 'closing' | 'closed' | 'failed';

/** `RaftServer.status()`: the core's status plus the driver's. */
export interface RaftServerStatus extends RaftStatus {
  /** The index applied to the state machine (not only emitted by the core). */
  readonly appliedIndex: number;
  readonly lifecycle: ServerLifecycle;
  /** The leader's transport address if known (see `peerAddresses`). */
  readonly leaderAddress: string | null;
  /** Proposals queued or appended and not yet applied. */
  readonly pendingProposals: number;
  /** Reads waiting for their read index. */
  readonly pendingReads: number;
  /** Index of the last snapshot in the log (0: none). */
  readonly snapshotIndex: number;
  /** On the leader: the health of every peer it replicates to, sorted by id (see `PeerHealth`). */
  readonly peers?: readonly PeerHealth[];
  /** On any other node: its last contact with the leader (see `LeaderContact`). */
  readonly leaderContact?: LeaderContact;
}

/** Driver counters, e.g. for the group-commit ratio (proposals / durableWrites). */
export interface RaftServerStats {
  /** Batches the driver loop ran. */
  readonly batches: number;
  /** Events stepped into the core (ticks, messages, proposals steps, reads, requests). */
  readonly steps: number;
  /** Commands proposed in `propose` steps that the core accepted. */
  readonly proposals: number;
  /** `propose` steps (each one log append of one or more commands). */
  readonly proposeSteps: number;
  /** `RaftLog.write` calls. */
  readonly logWrites: number;
  /** Durable writes: `RaftLog.sync` calls for a group-commit log, else `write` calls. */
  readonly durableWrites: number;
  /** Commands applied to the state machine. */
  readonly applied: number;
  /** Messages handed to the transport / refused by it at once / received. */
  readonly messagesSent: number;
  readonly messagesDropped: number;
  readonly messagesReceived: number;
  /** Proposals this node forwarded to a leader (driver messages). */
  readonly proposalsForwarded: number;
  /** Proposals followers forwarded that this node, as leader, proposed for them. */
  readonly forwardedProposalsServed: number;
}
