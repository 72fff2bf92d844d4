/**
 * The frame format: a fixed header, then the payload. All header integers are big-endian.
 *
 * | offset | size | field                                                              |
 * |-------:|-----:|--------------------------------------------------------------------|
 * |      0 |    2 | magic `0x52 0x46` ("RF")                                           |
 * |      2 |    1 | format version: `1` plain, `2` authenticated                       |
 * |      3 |    1 | kind: `1` message (an `Envelope`), `2` handshake, `3` keep-alive,  |
 * |        |      | `4` driver message (a `DriverEnvelope`), `5` group batch (a        |
 * |        |      | `GroupBatch`: many groups' messages from one host)                 |
 * |      4 |    4 | cluster id, an unsigned 32-bit integer                             |
 * |      8 |    4 | payload length in bytes                                            |
 * |     12 |    4 | CRC32C of the payload                                              |
 * |     16 |   16 | version 2 only: the frame's tag (see `frame-auth.ts`)              |
 * |  16/32 |    n | payload: protobuf bytes of the kind's message (none for keep-alive) |
 *
 * The cluster id rides on every frame so that a stray connection between two clusters is
 * caught on its first frame, handshake or not. Version 2 is version 1 plus a truncated
 * HMAC-SHA256 under a session key, for connections without TLS that must not accept
 * injected frames. A new header layout gets a new version.
 */
import type { Message } from '@raft-io/core';
import { crc32c, InvalidArgumentError } from '@raft-io/core';
import { type DriverMessage, encodeDriverMessage } from './driver-message.js';
import { encodeGroupBatch, type GroupBatch } from './group-batch.js';
import { encodeHandshake, type Handshake } from './handshake.js';
import { encodeMessage } from './message-codec.js';

/** The two magic bytes, "RF", as one big-endian 16-bit number. */
export const FRAME_MAGIC = 0x5246;
/** The plain frame format version: a CRC32C, no authentication. */
export const FRAME_VERSION = 1;
/** The authenticated frame format version: version 1 plus a 16-byte tag after the header. */
export const FRAME_VERSION_AUTHENTICATED = 2;
/** The size of the fixed header of a plain (version 1) frame, in bytes. */
export const FRAME_HEADER_BYTES = 16;
/** The size of a frame tag (a truncated HMAC-SHA256), in bytes. */
export const FRAME_TAG_BYTES = 16;
/** The size of the header of an authenticated (version 2) frame: the plain header and the tag. */
export const AUTHENTICATED_FRAME_HEADER_BYTES = FRAME_HEADER_BYTES + FRAME_TAG_BYTES;
/** The default bound on a whole frame (header + payload): 4 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** The largest payload the 32-bit length field can announce. */
export const MAX_PAYLOAD_BYTES = 0xffffffff;

/**
 * What a frame's payload is. A keep-alive has none: it only shows the sender is there. A
 * driver frame carries a message between two drivers (see `driver-message.ts`), which a
 * transport hands to its driver and never to the Raft core. A group frame carries a batch of
 * many Raft groups' messages between two hosts (see `group-batch.ts`).
 */
export const FrameKind = Object.freeze({
  message: 1,
  handshake: 2,
  keepalive: 3,
  driver: 4,
  group: 5,
} as const);
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Checks a cluster id: an unsigned 32-bit integer. */
export function checkClusterId(clusterId: unknown): number {
  if (
    typeof clusterId !== 'number' ||
    !Number.isInteger(clusterId) ||
    clusterId < 0 ||
    clusterId > 0xffffffff
  ) {
    throw new InvalidArgumentError(`clusterId must be an integer in [0, 2^32 - 1], got ${String(clusterId)}`);
  }
  return clusterId;
}

/** Wraps `payload` in a plain (version 1) frame of `kind` for `clusterId`. */
export function encodeRawFrame(kind: FrameKind, clusterId: number, payload: Uint8Array): Uint8Array {
  checkClusterId(clusterId);
  const n = payload.length;
  const frame = new Uint8Array(FRAME_HEADER_BYTES + n);
  frame.set(payload, FRAME_HEADER_BYTES);
  const crc = crc32c(payload);
  frame[0] = FRAME_MAGIC >>> 8;
  frame[1] = FRAME_MAGIC & 0xff;
  frame[2] = FRAME_VERSION;
  frame[3] = kind;
  writeU32(frame, 4, clusterId);
  writeU32(frame, 8, n);
  writeU32(frame, 12, crc);
  return frame;
}

/**
 * Encodes `message` as one plain frame for cluster `clusterId` (an unsigned 32-bit
 * integer); `FrameAuthenticator.seal` turns it into an authenticated one. Throws
 * `InvalidArgumentError` for a message or cluster id the wire cannot carry.
 */
export function encodeFrame(clusterId: number, message: Message): Uint8Array {
  return encodeRawFrame(FrameKind.message, clusterId, encodeMessage(message));
}

/**
 * Encodes a driver message as one plain frame for cluster `clusterId` (sealed like any
 * other frame on an authenticated connection). Throws `InvalidArgumentError` as
 * `encodeDriverMessage` does.
 */
export function encodeDriverFrame(clusterId: number, message: DriverMessage): Uint8Array {
  return encodeRawFrame(FrameKind.driver, clusterId, encodeDriverMessage(message));
}

/**
 * Encodes a group batch as one plain frame for cluster `clusterId`. Throws
 * `InvalidArgumentError` as `encodeGroupBatch` does.
 */
export function encodeGroupFrame(clusterId: number, batch: GroupBatch): Uint8Array {
  return encodeRawFrame(FrameKind.group, clusterId, encodeGroupBatch(batch));
}

/** Encodes a handshake frame for cluster `clusterId`. Handshakes are always plain frames. */
export function encodeHandshakeFrame(clusterId: number, handshake: Handshake): Uint8Array {
  return encodeRawFrame(FrameKind.handshake, clusterId, encodeHandshake(handshake));
}

const EMPTY = new Uint8Array(0);

/** Encodes a keep-alive frame (no payload) for cluster `clusterId`. */
export function encodeKeepaliveFrame(clusterId: number): Uint8Array {
  return encodeRawFrame(FrameKind.keepalive, clusterId, EMPTY);
}

/** Writes a big-endian unsigned 32-bit integer. */
export function writeU32(buf: Uint8Array, at: number, value: number): void {
  buf[at] = value >>> 24;
  buf[at + 1] = (value >>> 16) & 0xff;
  buf[at + 2] = (value >>> 8) & 0xff;
  buf[at + 3] = value & 0xff;
}

/** Reads a big-endian unsigned 32-bit integer. */
export function readU32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
