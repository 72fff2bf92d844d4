/**
 * @raft-io/transport-tcp: core's `RaftTransport` over TCP or mutual TLS, with
 * @raft-io/framing's checksummed frames, a handshake that checks cluster and node ids and
 * authenticates the peer (certificates bound to node ids, or a cluster secret with
 * authenticated frames), bounded per-peer queues, batching, backpressure, reconnect with
 * backoff, and bounded resources on the listening port (connection caps, deadlines, a
 * budget of buffered inbound bytes).
 */
export { backoffDelay } from './backoff.js';
export { type LogFn, type Logger, NOOP_LOGGER } from './logger.js';
export { isLoopbackHost } from './loopback.js';
export {
  MIN_CLUSTER_SECRET_BYTES,
  type PeerAddress,
  type ReconnectOptions,
  type ResolvedTcpTransportOptions,
  type ResolvedTlsOptions,
  resolveTcpTransportOptions,
  type SocketOptions,
  TCP_TRANSPORT_DEFAULTS,
  type TcpTransportOptions,
  type TcpTransportTlsOptions,
} from './options.js';
export { certificateUris, nodeIdentityUri, type PeerIdentityCheck } from './peer-identity.js';
export {
  type ConnectionRefusal,
  type DropReason,
  MAX_HANDSHAKE_FRAME_BYTES,
  PROTOCOL_VERSION,
} from './protocol.js';
export type { TcpPeerStats, TcpTransportStats } from './stats.js';
export { createTcpTransport, TcpTransport } from './tcp-transport.js';
