/**
 * The frame format: a fixed 16-byte header, then the payload. All header integers are
 * big-endian.
 *
 * | offset | size | field                                                        |
 * |-------:|-----:|--------------------------------------------------------------|
 * |      0 |    2 | magic `0x52 0x46` ("RF")                                     |
 * |      2 |    1 | format version, `1`                                          |
 * |      3 |    1 | kind: `1` message (an `Envelope`), `2` handshake             |
 * |      4 |    4 | cluster id, an unsigned 32-bit integer                       |
 * |      8 |    4 | payload length in bytes                                      |
 * |     12 |    4 | CRC32C of the payload                                        |
 * |     16 |    n | payload: protobuf bytes of the kind's message                |
 *
 * The cluster id rides on every frame so that a stray connection between two clusters is
 * caught on its first frame, handshake or not. A new header layout gets a new version.
 */
import type { Message } from '@raft-io/core';
import { InvalidArgumentError } from '@raft-io/core';
import { crc32c } from './crc32c.js';
import { encodeHandshake, type Handshake } from './handshake.js';
import { encodeMessage } from './message-codec.js';

/** The two magic bytes, "RF", as one big-endian 16-bit number. */
export const FRAME_MAGIC = 0x5246;
/** The frame format version this package writes and reads. */
export const FRAME_VERSION = 1;
/** The size of the fixed frame header, in bytes. */
export const FRAME_HEADER_BYTES = 16;
/** The default bound on a whole frame (header + payload): 4 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** The largest payload the 32-bit length field can announce. */
export const MAX_PAYLOAD_BYTES = 0xffffffff;

/** What a frame's payload is. */
export const FrameKind = Object.freeze({ message: 1, handshake: 2 } as const);
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

/** Wraps `payload` in a frame of `kind` for `clusterId`. */
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
 * Encodes `message` as one frame for cluster `clusterId` (an unsigned 32-bit integer).
 * Throws `InvalidArgumentError` for a message or cluster id the wire cannot carry.
 */
export function encodeFrame(clusterId: number, message: Message): Uint8Array {
  return encodeRawFrame(FrameKind.message, clusterId, encodeMessage(message));
}

/** Encodes a handshake frame for cluster `clusterId`. */
export function encodeHandshakeFrame(clusterId: number, handshake: Handshake): Uint8Array {
  return encodeRawFrame(FrameKind.handshake, clusterId, encodeHandshake(handshake));
}

function writeU32(buf: Uint8Array, at: number, value: number): void {
  buf[at] = value >>> 24;
  buf[at + 1] = (value >>> 16) & 0xff;
  buf[at + 2] = (value >>> 8) & 0xff;
  buf[at + 3] = value & 0xff;
}

/** Reads a big-endian unsigned 32-bit integer. */
export function readU32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
