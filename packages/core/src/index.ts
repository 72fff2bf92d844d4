/**
 * @raft-io/core: the deterministic, sans-I/O Raft protocol. `RaftNode.step(event)` returns
 * the actions a driver carries out; the node never reads a clock, draws a random number,
 * or touches a socket, timer or file.
 */
export {
  type AcceptedAction,
  type Action,
  type ApplyAction,
  type MembershipAction,
  needsDurableLog,
  type ReadFailedAction,
  type ReadReadyAction,
  type RemovedAction,
  type RestoreAction,
  type SendAction,
  type SendSnapshotChunkAction,
  type StateChangedAction,
  type WriteSnapshotChunkAction,
} from './actions.js';
export { ByteWriter } from './byte-writer.js';
export {
  ClientSessions,
  type CommandEntry,
  checkSessionLimits,
  checkSessionRef,
  DEFAULT_SESSION_LIMITS,
  decodeCommandEntry,
  encodeCommandEntry,
  MAX_CLIENT_ID_LENGTH,
  type SessionDecision,
  type SessionHeader,
  type SessionLimits,
  type SessionOutcome,
  type SessionRef,
} from './client-sessions.js';
export { DEFAULTS, defaultSeed, RaftConfig, type ResolvedRaftConfig, resolveConfig } from './config.js';
export { crc32c, crc32cByte, crc32cU64 } from './crc32c.js';
export * from './errors.js';
export type {
  AdvanceEvent,
  CampaignEvent,
  ChangeMembershipEvent,
  Event,
  MembershipChange,
  MessageEvent,
  PersistedEvent,
  ProposeEvent,
  ReadEvent,
  RestoreResultEvent,
  SnapshotEvent,
  TickEvent,
  TransferLeadershipEvent,
  WakeEvent,
} from './events.js';
export { MAX_MEMBERS, MAX_MEMBERSHIP_BYTES, MAX_TERM } from './limits.js';
export { type LogFn, type Logger, silentLogger } from './logger.js';
export { MemoryLog } from './memory-log.js';
export * from './messages.js';
export {
  type FollowerIdleView,
  keepsQuiescence,
  type LeaderIdleView,
  leaderMayQuiesce,
  type QuiescedView,
} from './quiescence.js';
export type { LogWrite, RaftLog } from './raft-log.js';
export { type ProgressStatus, RaftNode, type RaftStatus } from './raft-node.js';
export type { RaftTransport } from './transport.js';
export {
  EMPTY_HARD_STATE,
  type Entry,
  type EntryType,
  type HardState,
  type MemberInfo,
  type Membership,
  type NodeId,
  type Role,
  type Snapshot,
  type SnapshotMetadata,
} from './types.js';
