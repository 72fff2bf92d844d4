/**
 * kv (private demo): a replicated key-value store on raft-io's `RaftServer` (or, sharded, on a
 * `RaftHost` with one Raft group per shard). The library
 * side of the app: start a node in-process, start a local multi-process cluster, the state
 * machine and its commands, the HTTP API and its limits. The command line is `cli.ts`.
 */
export { formatPeers, type PeerSpec, parseHostPort, parsePeers, UsageError } from './addresses.js';
export { BodyBudget, type BodyBudgetStats, BodyLease, readBody } from './body-budget.js';
export { freePorts } from './free-ports.js';
export {
  IDEMPOTENCY_HEADER,
  KvApi,
  type KvApiOptions,
  type KvKeyspace,
  type KvReplica,
  NODE_HEADER,
  REPLAYED_HEADER,
} from './http-api.js';
export { HttpError } from './http-errors.js';
export {
  DEFAULT_HTTP_LIMITS,
  type HttpLimits,
  resolveHttpLimits,
  SMALL_BODY_BYTES,
  smallBodyReserveBytes,
} from './http-limits.js';
export { type HttpConnectionStats, KvHttpServer } from './http-server.js';
export { jsonLogger, type LogLevel } from './json-logger.js';
export { decodeCommand, encodeCommand, type KvCommand } from './kv-command.js';
export { type KvHttpStats, type KvNode, type KvNodeOptions, startKvNode } from './kv-node.js';
export { DEFAULT_MAX_KEY_BYTES, decodeKey, type KvTarget, kvPath, parseTarget } from './kv-path.js';
export { type KvResult, KvStateMachine } from './kv-state-machine.js';
export { LocalCluster, type LocalClusterOptions, type LocalNodeInfo } from './local-cluster.js';
export { type NodeArgs, parseNodeArgs, shardsFrom } from './node-args.js';
export { PromMetrics } from './prom-metrics.js';
export { checkShardCount, fmix32, fnv1a32, MAX_SHARDS, MIN_SHARDS, shardOf } from './shard-hash.js';
export {
  ShardCountMismatchError,
  type ShardedKvNode,
  type ShardedKvNodeOptions,
  startShardedKvNode,
} from './sharded-node.js';
export { type ShardedStatus, type ShardView, shardedStatusView } from './sharded-status.js';
export {
  fetchStatus,
  formatShardedStatusLine,
  formatStatusLine,
  type NodeStatus,
  type ShardedNodeStatus,
} from './status-line.js';
export { MIN_STATUS_TOKEN_LENGTH, STATUS_TOKEN_ENV, StatusToken } from './status-token.js';
export { type MemberView, membersOf, statusView } from './status-view.js';
