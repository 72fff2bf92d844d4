/**
 * The metrics hook: a tiny interface with counters and histograms by name, so a backend
 * (prom-client, OpenTelemetry, a test recorder) lives outside this package. Every name the
 * server reports is in `METRIC_NAMES` with its unit; the default sink drops everything.
 */

/** Where `RaftServer` reports its numbers. Methods must be cheap and must not throw. */
export interface Metrics {
  /** Add `value` (default 1) to the counter `name`. */
  increment(name: string, value?: number): void;
  /** Record one observation of the histogram `name`. */
  observe(name: string, value: number): void;
  /** Set the gauge `name`. Optional. */
  gauge?(name: string, value: number): void;
}

/** The default sink: drops everything. */
export const noopMetrics: Metrics = Object.freeze({ increment() {}, observe() {}, gauge() {} });

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
