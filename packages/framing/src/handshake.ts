/**
 * The handshake: the first frame each side of a connection sends (frame kind 2). It says
 * who the sender is, whom it means to reach, and the highest transport protocol version it
 * speaks; the cluster id is in the frame header as on every frame. A challenge-response
 * handshake adds a `nonce` (the sender's fresh challenge) and a `proof` (a MAC over the
 * exchange), each exactly `HANDSHAKE_NONCE_BYTES` / `HANDSHAKE_PROOF_BYTES` long when present.
 * What a transport does with it (refuse another cluster, an unknown node, the wrong target,
 * a bad proof) is the transport's.
 */
import { InvalidArgumentError, type NodeId } from '@raft-io/core';
import { FramingError } from './errors.js';
import { raftio } from './generated/raft.js';
import { NumberReader } from './number-reader.js';
import { checkBytes, checkId, readBytes, readId, readUint } from './values.js';

/** The size of a handshake nonce, in bytes. */
export const HANDSHAKE_NONCE_BYTES = 32;
/** The size of a handshake proof (a whole HMAC-SHA256), in bytes. */
export const HANDSHAKE_PROOF_BYTES = 32;

export interface Handshake {
  /** The sender's node id. */
  readonly from: NodeId;
  /** The node the sender means to reach (the acceptor answers with the connector's id). */
  readonly to: NodeId;
  /** The highest transport protocol version the sender speaks (>= 1, a uint32). */
  readonly protocolVersion: number;
  /** The sender's challenge, `HANDSHAKE_NONCE_BYTES` random bytes; absent when not used. */
  readonly nonce?: Uint8Array;
  /** A proof of a shared secret, `HANDSHAKE_PROOF_BYTES`; absent when not used. */
  readonly proof?: Uint8Array;
}

/** Encodes a handshake payload. Throws `InvalidArgumentError` for values out of range. */
export function encodeHandshake(handshake: Handshake): Uint8Array {
  checkId(handshake.from, 'from');
  checkId(handshake.to, 'to');
  const v = handshake.protocolVersion;
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) {
    throw new InvalidArgumentError(`protocolVersion must be an integer in [1, 2^32 - 1], got ${String(v)}`);
  }
  const nonce = optionalBytes(handshake.nonce, 'nonce', HANDSHAKE_NONCE_BYTES);
  const proof = optionalBytes(handshake.proof, 'proof', HANDSHAKE_PROOF_BYTES);
  return raftio.v1.Handshake.encode({
    from: handshake.from,
    to: handshake.to,
    protocolVersion: v,
    ...(nonce === undefined ? {} : { nonce }),
    ...(proof === undefined ? {} : { proof }),
  }).finish();
}

/** Decodes and validates a handshake payload. Throws `FramingError` on bad input. */
export function decodeHandshake(bytes: Uint8Array): Handshake {
  let decoded: raftio.v1.Handshake;
  try {
    decoded = raftio.v1.Handshake.decode(new NumberReader(bytes));
  } catch (cause) {
    if (cause instanceof FramingError) throw cause;
    throw new FramingError('malformed-payload', 'not a valid Handshake', { cause });
  }
  const protocolVersion = readUint(decoded.protocolVersion);
  if (protocolVersion < 1) {
    throw new FramingError('invalid-value', 'protocolVersion must be >= 1', { field: 'protocolVersion' });
  }
  const handshake: { -readonly [K in keyof Handshake]: Handshake[K] } = {
    from: readId(decoded.from, 'from'),
    to: readId(decoded.to, 'to'),
    protocolVersion,
  };
  const nonce = readOptionalBytes(decoded.nonce, 'nonce', HANDSHAKE_NONCE_BYTES);
  const proof = readOptionalBytes(decoded.proof, 'proof', HANDSHAKE_PROOF_BYTES);
  // Only present fields become keys, so a decoded handshake deep-equals the encoded one.
  if (nonce !== undefined) handshake.nonce = nonce;
  if (proof !== undefined) handshake.proof = proof;
  return handshake;
}

function optionalBytes(value: unknown, field: string, size: number): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const bytes = checkBytes(value, field);
  if (bytes.length !== size) {
    throw new InvalidArgumentError(`${field} must be ${size} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function readOptionalBytes(
  value: Uint8Array | null | undefined,
  field: string,
  size: number,
): Uint8Array | undefined {
  if (value == null || value.length === 0) return undefined;
  if (value.length !== size) {
    throw new FramingError('invalid-value', `${field} must be ${size} bytes, got ${value.length}`, { field });
  }
  return readBytes(value);
}
