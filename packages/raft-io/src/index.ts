/**
 * raft-io: embeddable Raft for Node.js. `RaftServer` runs a core `RaftNode` with a durable
 * SQLite log, a TCP transport, timers and the user's state machine; everything of
 * @raft-io/core, @raft-io/framing, @raft-io/transport-tcp and @raft-io/log-sqlite is
 * re-exported, so one import serves both the composite and à-la-carte use.
 */
export * from '@raft-io/core';
export * from '@raft-io/framing';
export * from '@raft-io/log-sqlite';
export * from '@raft-io/transport-tcp';
export { DurabilityTracker } from './durability-tracker.js';
export {
  AbortedError,
  ForwardToLeaderError,
  PendingLimitError,
  ProposalError,
  ResultNotKeptError,
  ServerClosedError,
  TimeoutError,
} from './errors.js';
export { METRIC_NAMES, type Metrics, noopMetrics } from './metrics.js';
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
} from './options.js';
export { parseAddress } from './peer-directory.js';
export {
  type AddMemberOptions,
  type CallOptions,
  createRaftServer,
  type ProposalResult,
  type ProposeOptions,
  RaftServer,
} from './raft-server.js';
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
