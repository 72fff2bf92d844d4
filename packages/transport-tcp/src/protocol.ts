/**
 * The transport's connection protocol on top of @raft-io/framing. The dialling node sends
 * a handshake `{ from: itself, to: the peer it dialled, protocolVersion }`; the accepting
 * node checks the frame's cluster id, that `to` is itself and that `from` is a known peer,
 * then answers with its own handshake `{ from: itself, to: the dialler }`, which the dialler
 * checks the same way. After that the dialler sends message frames and the acceptor sends
 * nothing more: each connection carries messages one way, so each pair of nodes uses two.
 */

/** The transport protocol version this implementation speaks. */
export const PROTOCOL_VERSION = 1;

/** The largest handshake-phase frame accepted on an outbound connection, in bytes. */
export const MAX_HANDSHAKE_FRAME_BYTES = 1024;

/** Frames queued for one peer are written in batches of about this many bytes. */
export const BATCH_BYTES = 256 * 1024;

/** Why a connection was refused or dropped, as logged (`reason` field). */
export type ConnectionRefusal =
  | 'invalid-frame'
  | 'handshake-timeout'
  | 'expected-handshake'
  | 'cluster-mismatch'
  | 'wrong-node'
  | 'unknown-peer'
  | 'unsupported-protocol'
  | 'unexpected-frame'
  | 'tls';

/** Why we closed a healthy inbound connection ourselves, as logged at debug level. */
export type DropReason = 'peer-removed' | 'closed';
