/**
 * @raft-io/transport-tcp: core's `RaftTransport` over TCP or mutual TLS, with
 * @raft-io/framing's checksummed frames, a handshake that checks cluster and node ids,
 * bounded per-peer queues, batching, backpressure and reconnect with backoff.
 */
export { backoffDelay } from './backoff.js';
export { type LogFn, type Logger, NOOP_LOGGER } from './logger.js';
export {
  type PeerAddress,
  type ReconnectOptions,
  type ResolvedTcpTransportOptions,
  resolveTcpTransportOptions,
  type SocketOptions,
  TCP_TRANSPORT_DEFAULTS,
  type TcpTransportOptions,
  type TcpTransportTlsOptions,
} from './options.js';
export { type ConnectionRefusal, type DropReason, PROTOCOL_VERSION } from './protocol.js';
export type { TcpPeerStats, TcpTransportStats } from './stats.js';
export { createTcpTransport, TcpTransport } from './tcp-transport.js';
