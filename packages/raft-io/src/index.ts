/**
 * raft-io: embeddable Raft for Node.js. `RaftServer` runs a core `RaftNode` with a durable
 * SQLite log, a TCP transport, timers and the user's state machine; `RaftHost` runs many
 * groups (multi-Raft) on one transport, one log file and one clock; everything of
 * @raft-io/core, @raft-io/framing, @raft-io/transport-tcp and @raft-io/log-sqlite is
 * re-exported, so one import serves both the composite and à-la-carte use.
 */
export * from '@raft-io/core';
export * from '@raft-io/framing';
export * from '@raft-io/log-sqlite';
export * from '@raft-io/transport-tcp';
export {
  BACKUP_FORMAT_VERSION,
  type BackupHeader,
  type BackupInfo,
  type BackupSink,
  type BackupSource,
  DEFAULT_MAX_BACKUP_BYTES,
  type RestoreBackupOptions,
  type RestoreReport,
  readBackup,
  restoreBackup,
  saveBackup,
  scanBackup,
  streamSink,
  verifyBackup,
  writeBackup,
  writeBackupFile,
} from './backup.js';
export { DurabilityTracker } from './durability-tracker.js';
export {
  AbortedError,
  BackupError,
  type BackupErrorReason,
  ForwardToLeaderError,
  PendingLimitError,
  ProposalError,
  ResultNotKeptError,
  ServerClosedError,
  TimeoutError,
} from './errors.js';
export { LOG_BYTES_MAX_ENTRIES, LogBytes } from './log-bytes.js';
export type { MembershipInput } from './membership-input.js';
export { METRIC_NAMES, type MetricLabels, type Metrics, noopMetrics, PEER_METRIC_NAMES } from './metrics.js';
export { NullTransport } from './null-transport.js';
export { editDistance, nearestKey } from './option-keys.js';
export {
  formatAddress,
  type InitialMembers,
  LOG_FILE_NAME,
  type MemberSpec,
  type RaftServerOptions,
  type RaftTuning,
  type ResolvedServerOptions,
  resolveServerOptions,
  SERVER_DEFAULTS,
  type ServerTcpOptions,
  STREAMED_MAX_SNAPSHOT_BYTES,
} from './options.js';
export { parseAddress } from './peer-directory.js';
export {
  HEALTH_DEFAULTS,
  type HealthInput,
  type LeaderContact,
  type PeerHealth,
  type PeerHealthEvent,
  PeerHealthMonitor,
  type PeerHealthOptions,
  type ResolvedPeerHealthOptions,
  resolveHealthOptions,
  type SnapshotTransferEnd,
  type SnapshotTransferProgress,
} from './peer-health.js';
export {
  createRaftHost,
  type HostTcpOptions,
  type HostTransport,
  type RaftGroup,
  type RaftGroupOptions,
  RaftHost,
  type RaftHostOptions,
  type RaftHostStats,
  STORE_FILE_NAME,
} from './raft-host.js';
export {
  type AddMemberOptions,
  type BackupOptions,
  type CallOptions,
  createRaftServer,
  type ProposalResult,
  type ProposeOptions,
  RaftServer,
} from './raft-server.js';
export {
  inspectDataDir,
  type LogInspection,
  type OfflineLogOptions,
  type RecoverOptions,
  type RecoveryReport,
  recover,
} from './recovery.js';
export { SessionRefusedError } from './replicated-machine.js';
export { type ResultCodec, valueCodec } from './result-codec.js';
export type {
  RaftServerEvents,
  RaftServerStats,
  RaftServerStatus,
  ServerLifecycle,
  ServerState,
} from './server-events.js';
export type { StateMachine } from './state-machine.js';
export { createStderrLogger, type LogLevel, type StderrLoggerOptions } from './stderr-logger.js';
