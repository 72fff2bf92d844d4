/**
 * The metrics hook: a tiny interface with counters and histograms by name, so a backend
 * (prom-client, OpenTelemetry, a test recorder) lives outside this package. Every name the
 * server reports is in `METRIC_NAMES` with its unit; the default sink drops everything.
 *
 * Per-peer numbers carry labels (`{ peer: '2' }`, see `PEER_METRIC_NAMES`): one series per
 * peer, as Prometheus labels or OpenTelemetry attributes. A sink that ignores labels still
 * works for every other metric; it would mix the peers' values of a per-peer one.
 */

/** Label names and values of one series, e.g. `{ peer: '2' }`. */
export type MetricLabels = Readonly<Record<string, string>>;

/** Where `RaftServer` reports its numbers. Methods must be cheap and must not throw. */
export interface Metrics {
  /** Add `value` (default 1) to the counter `name` (the series of `labels`, when given). */
  increment(name: string, value?: number, labels?: MetricLabels): void;
  /** Record one observation of the histogram `name`. */
  observe(name: string, value: number, labels?: MetricLabels): void;
  /** Set the gauge `name`. Optional. */
  gauge?(name: string, value: number, labels?: MetricLabels): void;
  /**
   * Optional: forget the series `labels` of `name` (a peer that left the membership, or the
   * peers of a node that stopped leading), so that a scrape does not show its last value
   * forever.
   */
  remove?(name: string, labels: MetricLabels): void;
}

/** The default sink: drops everything. */
export const noopMetrics: Metrics = Object.freeze({ increment() {}, observe() {}, gauge() {}, remove() {} });

/** Every metric the server reports, with its kind and unit. */
export const METRIC_NAMES = Object.freeze({
  /** counter: proposals handed to `propose` (accepted into the queue). */
  proposals: 'raft_proposals_total',
  /** counter: proposals that failed (not leader, timeout, lost, ...). */
  proposalsFailed: 'raft_proposals_failed_total',
  /** histogram, seconds: from `propose` to the result of apply on this node. */
  proposeLatency: 'raft_propose_duration_seconds',
  /** counter: linearizable reads requested. */
  reads: 'raft_reads_total',
  /** counter: reads that failed. */
  readsFailed: 'raft_reads_failed_total',
  /** histogram, seconds: from `read` / `readIndex` to read-ready. */
  readLatency: 'raft_read_duration_seconds',
  /** counter: batches the driver loop ran (each one step per event, then one durable write). */
  batches: 'raft_batches_total',
  /** histogram, events: events stepped in one batch. */
  batchEvents: 'raft_batch_events',
  /** counter: durable writes (`RaftLog.sync()` calls, or `write()` calls for a log without sync). */
  durableWrites: 'raft_durable_writes_total',
  /**
   * histogram, seconds: one `RaftLog.sync()`, or with asynchronous storage writes one
   * `syncAsync()` from its start to its end (the loop runs meanwhile).
   */
  syncDuration: 'raft_sync_duration_seconds',
  /** histogram, seconds: from `propose` to the batch that steps it into the core (driver queue). */
  proposeQueue: 'raft_propose_queue_seconds',
  /**
   * histogram, seconds: from a proposal stepped into the core to its `apply` (the local write's
   * fsync, replication and the followers' fsync, commit).
   */
  proposeCommit: 'raft_propose_commit_seconds',
  /** histogram, seconds: one `apply` of the state machine (awaited when it returns a promise). */
  applyDuration: 'raft_apply_duration_seconds',
  /** histogram, commands: commands in one `propose` step. */
  proposeBatch: 'raft_propose_batch_commands',
  /** counter: committed commands applied to the state machine. */
  applied: 'raft_applied_total',
  /** counter: messages handed to the transport. */
  messagesSent: 'raft_messages_sent_total',
  /** counter: messages the transport refused at once (unknown peer, queue full, closed). */
  messagesDropped: 'raft_messages_dropped_total',
  /** counter: messages received from the transport. */
  messagesReceived: 'raft_messages_received_total',
  /** counter: snapshots the server took of the state machine. */
  snapshots: 'raft_snapshots_total',
  /** counter: snapshots restored into the state machine. */
  restores: 'raft_restores_total',
  /** counter: snapshots from the leader that the state machine refused to restore (the old state was kept). */
  restoresRefused: 'raft_restores_refused_total',
  /** counter: changes of the known leader. */
  leaderChanges: 'raft_leader_changes_total',
  /** gauge: current term. */
  term: 'raft_term',
  /** gauge: commit index. */
  commitIndex: 'raft_commit_index',
  /** gauge: index applied to the state machine. */
  appliedIndex: 'raft_applied_index',
  /** gauge: 1 on the leader, 0 elsewhere. */
  isLeader: 'raft_is_leader',
});

/**
 * The per-peer metrics of the leader (see `PeerHealth`), each with the label `peer` (the
 * peer's id), and the follower's view of its leader. Gauges are refreshed at most once per
 * tick; a peer's series are removed when it leaves the membership or this node stops leading.
 */
export const PEER_METRIC_NAMES = Object.freeze({
  /** gauge, 0/1: the peer answered within `health.unreachableAfterTicks` (leader only). */
  reachable: 'raft_peer_reachable',
  /** gauge, seconds: since a message last arrived from the peer (leader only). */
  lastContact: 'raft_peer_last_contact_seconds',
  /** gauge, index: the highest index known to be replicated on the peer. */
  matchIndex: 'raft_peer_match_index',
  /** gauge, entries: the leader's last index minus the peer's match index. */
  lagEntries: 'raft_peer_lag_entries',
  /** gauge, bytes: data bytes of the entries the peer lacks that the leader's log holds. */
  lagBytes: 'raft_peer_lag_bytes',
  /** gauge, messages: appends sent to the peer and not yet acknowledged. */
  inflight: 'raft_peer_inflight_messages',
  /** gauge: the peer's flow-control state, 0 probe, 1 replicate, 2 snapshot. */
  state: 'raft_peer_state',
  /** gauge, bytes: of the snapshot being sent, how far the peer has acknowledged (0: none). */
  snapshotOffset: 'raft_peer_snapshot_offset_bytes',
  /** counter: times the peer became unreachable (label `peer`). */
  unreachable: 'raft_peer_unreachable_total',
  /** counter: times the peer fell behind by more than the lag thresholds (label `peer`). */
  lagging: 'raft_peer_lagging_total',
  /** counter: snapshot transfers that ended, labels `peer` and `outcome` (installed / abandoned). */
  snapshotTransfers: 'raft_snapshot_transfers_total',
  /** gauge, seconds: on a follower, since a message last arrived from its leader (no label). */
  leaderLastContact: 'raft_leader_last_contact_seconds',
});
