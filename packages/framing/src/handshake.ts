/**
 * The handshake: the first frame each side of a connection sends (frame kind 2). It says
 * who the sender is, whom it means to reach, and the highest transport protocol version it
 * speaks; the cluster id is in the frame header as on every frame. What a transport does
 * with it (refuse another cluster, an unknown node, the wrong target) is the transport's.
 */
import { InvalidArgumentError, type NodeId } from '@raft-io/core';
import { FramingError } from './errors.js';
import { raftio } from './generated/raft.js';
import { NumberReader } from './number-reader.js';
import { checkId, readId, readUint } from './values.js';

export interface Handshake {
  /** The sender's node id. */
  readonly from: NodeId;
  /** The node the sender means to reach (the acceptor answers with the connector's id). */
  readonly to: NodeId;
  /** The highest transport protocol version the sender speaks (>= 1, a uint32). */
  readonly protocolVersion: number;
}

/** Encodes a handshake payload. Throws `InvalidArgumentError` for ids or versions out of range. */
export function encodeHandshake(handshake: Handshake): Uint8Array {
  checkId(handshake.from, 'from');
  checkId(handshake.to, 'to');
  const v = handshake.protocolVersion;
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) {
    throw new InvalidArgumentError(`protocolVersion must be an integer in [1, 2^32 - 1], got ${String(v)}`);
  }
  return raftio.v1.Handshake.encode({ from: handshake.from, to: handshake.to, protocolVersion: v }).finish();
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
  return { from: readId(decoded.from, 'from'), to: readId(decoded.to, 'to'), protocolVersion };
}
