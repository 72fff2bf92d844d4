/**
 * The transport's connection protocol on top of @raft-io/framing. The dialling node sends
 * a hello `{ from: itself, to: the peer it dialled, protocolVersion, nonce? }`; the
 * accepting node checks the frame's cluster id, that `to` is itself, that `from` is a known
 * peer and (under TLS) that the client certificate proves `from`, then answers with its own
 * handshake `{ from: itself, to: the dialler }`, which the dialler checks the same way
 * (under TLS, the server certificate must prove the node it dialled).
 *
 * With a cluster secret, the hello carries the dialler's nonce, the answer the acceptor's
 * nonce and proof, and the dialler sends a third handshake frame with its proof (see
 * `secret-handshake.ts`); every frame after that is an authenticated (version 2) frame
 * under the session key.
 *
 * After that the dialler sends message frames (and keep-alives when it has nothing to
 * send) and the acceptor sends nothing more: each connection carries messages one way, so
 * each pair of nodes uses two.
 */

/**
 * The transport protocol version this implementation speaks: 2 added the nonce and proof
 * of the secret handshake and keep-alive frames. Version 1 (never released) is refused.
 */
export const PROTOCOL_VERSION = 2;

/** The largest frame accepted before a handshake is complete, on both sides, in bytes. */
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
  | 'tls'
  | 'identity-mismatch'
  | 'auth-required'
  | 'bad-proof'
  | 'sender-mismatch'
  | 'wrong-addressee'
  | 'frame-timeout'
  | 'connection-limit'
  | 'address-limit'
  | 'peer-limit';

/** Why we closed a healthy inbound connection ourselves, as logged at debug or info level. */
export type DropReason = 'peer-removed' | 'closed' | 'idle-timeout' | 'replaced';
