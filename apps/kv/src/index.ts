/**
 * kv (private demo): a replicated key-value store on raft-io's `RaftServer`. The library
 * side of the app: start a node in-process, start a local multi-process cluster, the state
 * machine and its commands. The command line is `cli.ts`.
 */
export { formatPeers, type PeerSpec, parseHostPort, parsePeers } from './addresses.js';
export { freePorts } from './free-ports.js';
export { FORWARDED_HEADER, KvApi, type KvApiOptions, NODE_HEADER } from './http-api.js';
export { HttpError } from './http-errors.js';
export { jsonLogger, type LogLevel } from './json-logger.js';
export { decodeCommand, encodeCommand, type KvCommand } from './kv-command.js';
export { type KvNode, type KvNodeOptions, startKvNode } from './kv-node.js';
export { type KvResult, KvStateMachine } from './kv-state-machine.js';
export { LocalCluster, type LocalClusterOptions, type LocalNodeInfo } from './local-cluster.js';
export { PromMetrics } from './prom-metrics.js';
export { fetchStatus, formatStatusLine, type NodeStatus } from './status-line.js';
