/**
 * `FrameDecoder`: turns a byte stream, pushed in chunks of any size, into decoded frames.
 * It checks each header as soon as its 16 bytes are in (magic, version, kind, and the
 * announced size against `maxFrameBytes` before buffering or allocating anything for the
 * payload), then the payload's CRC32C, then (once `authenticate` was called) the frame's
 * tag, then decodes it. The first bad byte poisons the decoder: a stream that lost its
 * framing cannot be trusted again, so the connection goes.
 *
 * Memory: the decoder never keeps a pushed chunk. A frame that arrives whole within one
 * chunk is decoded from a view of it. The bytes of a frame that arrives in pieces are
 * copied into the decoder's own storage: a 32-byte header buffer, then payload blocks of
 * at most `BLOCK_BYTES`, each allocated when the first byte for it arrives and never
 * larger than what is left of the announced (already bounded) length. A partial frame
 * therefore holds the bytes received plus less than one block, however the stream is cut
 * (one byte per segment costs one byte); a frame in several blocks is joined once, when
 * it is complete.
 */
import type { Message } from '@raft-io/core';
import { crc32c, InvalidArgumentError } from '@raft-io/core';
import { type DriverMessage, decodeDriverMessage } from './driver-message.js';
import { FramingError } from './errors.js';
import {
  AUTHENTICATED_FRAME_HEADER_BYTES,
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_VERSION,
  FRAME_VERSION_AUTHENTICATED,
  FrameKind,
  readU32,
} from './frame.js';
import type { FrameVerifier } from './frame-auth.js';
import { decodeGroupBatch, type GroupBatch } from './group-batch.js';
import { decodeHandshake, type Handshake } from './handshake.js';
import { decodeMessage } from './message-codec.js';

/** The size of the blocks a payload that arrives in pieces is assembled in, in bytes. */
export const BLOCK_BYTES = 16 * 1024;

/** A decoded message frame. */
export interface MessageFrame {
  readonly kind: 'message';
  /** The cluster id from the frame header. */
  readonly clusterId: number;
  readonly message: Message;
  /** The whole frame's size on the wire (header, tag and payload), in bytes. */
  readonly frameBytes: number;
}

/** A decoded handshake frame. */
export interface HandshakeFrame {
  readonly kind: 'handshake';
  /** The cluster id from the frame header. */
  readonly clusterId: number;
  readonly handshake: Handshake;
  /** The whole frame's size on the wire (header, tag and payload), in bytes. */
  readonly frameBytes: number;
}

/** A keep-alive frame: no payload; the sender is alive and the connection in use. */
export interface KeepaliveFrame {
  readonly kind: 'keepalive';
  /** The cluster id from the frame header. */
  readonly clusterId: number;
  /** The whole frame's size on the wire, in bytes. */
  readonly frameBytes: number;
}

/** A decoded driver frame: a message for the receiving node's driver, not its Raft core. */
export interface DriverFrame {
  readonly kind: 'driver';
  /** The cluster id from the frame header. */
  readonly clusterId: number;
  readonly message: DriverMessage;
  /** The whole frame's size on the wire (header, tag and payload), in bytes. */
  readonly frameBytes: number;
}

/** A decoded group frame: the messages of many groups from one host (see `group-batch.ts`). */
export interface GroupFrame {
  readonly kind: 'group';
  /** The cluster id from the frame header. */
  readonly clusterId: number;
  readonly batch: GroupBatch;
  /** The whole frame's size on the wire (header, tag and payload), in bytes. */
  readonly frameBytes: number;
}

export type DecodedFrame = MessageFrame | HandshakeFrame | KeepaliveFrame | DriverFrame | GroupFrame;

export interface FrameDecoderOptions {
  /**
   * The largest frame accepted, header (and tag) included, in bytes. A header announcing
   * more is refused (`too-large`) before any of its payload is buffered. Default 4 MiB
   * (`DEFAULT_MAX_FRAME_BYTES`); at least `FRAME_HEADER_BYTES` (16). Change
   * it later with `setMaxFrameBytes` (a small limit for a handshake, then the real one).
   */
  readonly maxFrameBytes?: number;
}

interface Header {
  readonly kind: FrameKind;
  readonly clusterId: number;
  readonly length: number;
  readonly crc: number;
  /** 16 for a plain frame, 32 for an authenticated one. */
  readonly headerBytes: number;
}

const EMPTY = new Uint8Array(0);

export class FrameDecoder {
  #maxFrameBytes: number;
  #verifier: FrameVerifier | null = null;

  /** The header (and tag) of the frame being received: `#headFilled` bytes so far. */
  readonly #head = new Uint8Array(AUTHENTICATED_FRAME_HEADER_BYTES);
  #headFilled = 0;
  /** The parsed header, once its first 16 bytes have been checked. */
  #header: Header | null = null;
  /** The payload received so far, when it arrives in pieces; the last block holds `#blockFilled`. */
  #blocks: Uint8Array[] = [];
  #blockFilled = 0;
  #payloadFilled = 0;
  /** Unconsumed input, copied, kept only when `onFrame` threw in the middle of a chunk. */
  #leftover: Uint8Array | null = null;
  /** The chunk being decoded and the position in it, during `push` only. */
  #input: Uint8Array = EMPTY;
  #at = 0;
  #error: FramingError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.#maxFrameBytes = checkMaxFrameBytes(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
  }

  /** The bound on a whole frame, in bytes. */
  get maxFrameBytes(): number {
    return this.#maxFrameBytes;
  }

  /**
   * Changes the bound on a whole frame, for every frame whose header has not been read yet
   * (call it from `onFrame` to change it from the next frame on).
   */
  setMaxFrameBytes(maxFrameBytes: number): void {
    this.#maxFrameBytes = checkMaxFrameBytes(maxFrameBytes);
  }

  /**
   * From the next frame on, accepts only authenticated (version 2) frames whose tag
   * `verifier` confirms; a plain frame is refused (`unauthenticated`), a wrong tag too
   * (`bad-tag`). Call it from `onFrame` right after the handshake that set up the key. Once
   * only: throws `InvalidArgumentError` if the decoder is already authenticated.
   */
  authenticate(verifier: FrameVerifier): void {
    if (this.#verifier !== null) throw new InvalidArgumentError('the decoder is already authenticated');
    this.#verifier = verifier;
  }

  /** Whether `authenticate` was called. */
  get authenticated(): boolean {
    return this.#verifier !== null;
  }

  /** Bytes received for the frame in progress (header included), not yet decoded. */
  get bufferedBytes(): number {
    return this.#headFilled + this.#payloadFilled + (this.#leftover?.length ?? 0);
  }

  /** The error that poisoned this decoder, or null. */
  get error(): FramingError | null {
    return this.#error;
  }

  /**
   * Feeds `chunk` and calls `onFrame` for every frame it completes, in order. Throws
   * `FramingError` at the first bad frame, after delivering the good frames before it; from
   * then on the decoder is poisoned and every call throws (`poisoned`). The decoder keeps no
   * reference to `chunk` once `push` returns. An exception thrown by `onFrame` propagates
   * without poisoning the decoder; frames still in the chunk are delivered by the next `push`.
   */
  push(chunk: Uint8Array, onFrame: (frame: DecodedFrame) => void): void {
    if (this.#error !== null) {
      throw new FramingError('poisoned', 'the decoder already failed', { cause: this.#error });
    }
    let input = chunk;
    const leftover = this.#leftover;
    if (leftover !== null) {
      // Only after an onFrame exception: rare, so a copy is fine.
      input = new Uint8Array(leftover.length + chunk.length);
      input.set(leftover);
      input.set(chunk, leftover.length);
      this.#leftover = null;
    }
    this.#input = input;
    this.#at = 0;
    try {
      for (;;) {
        let frame: DecodedFrame | null;
        try {
          frame = this.#next();
        } catch (error) {
          this.#poison(error);
          throw error;
        }
        if (frame === null) return;
        try {
          onFrame(frame);
        } catch (error) {
          if (this.#error === null && this.#at < input.length) this.#leftover = input.slice(this.#at);
          throw error;
        }
      }
    } finally {
      this.#input = EMPTY;
      this.#at = 0;
    }
  }

  /**
   * Declares the end of the stream: throws `FramingError` (`truncated`) if a partial frame is
   * buffered (and poisons the decoder); otherwise does nothing.
   */
  end(): void {
    if (this.#error !== null) return;
    if (this.bufferedBytes > 0) {
      const error = new FramingError(
        'truncated',
        `the stream ended inside a frame (${this.bufferedBytes} bytes buffered)`,
      );
      this.#poison(error);
      throw error;
    }
  }

  #poison(error: unknown): void {
    this.#error =
      error instanceof FramingError
        ? error
        : new FramingError('malformed-payload', 'unexpected decoder failure', { cause: error });
    this.#reset();
    this.#leftover = null;
  }

  #reset(): void {
    this.#header = null;
    this.#headFilled = 0;
    this.#blocks = [];
    this.#blockFilled = 0;
    this.#payloadFilled = 0;
  }

  /** Decodes the next whole frame, or returns null once the input is used up. */
  #next(): DecodedFrame | null {
    let header = this.#header;
    if (header === null) {
      if (!this.#fillHead(FRAME_HEADER_BYTES)) return null;
      header = this.#parseHeader(this.#head);
      this.#header = header;
    }
    if (header.headerBytes > FRAME_HEADER_BYTES && !this.#fillHead(header.headerBytes)) return null;
    const payload = this.#takePayload(header.length);
    if (payload === null) return null;
    const crc = crc32c(payload);
    if (crc !== header.crc) {
      throw new FramingError(
        'checksum-mismatch',
        `payload CRC32C ${crc.toString(16)} differs from the header's ${header.crc.toString(16)}`,
      );
    }
    const verifier = this.#verifier;
    if (
      verifier !== null &&
      !verifier.verify(
        this.#head.subarray(0, FRAME_HEADER_BYTES),
        this.#head.subarray(FRAME_HEADER_BYTES, AUTHENTICATED_FRAME_HEADER_BYTES),
        payload,
      )
    ) {
      throw new FramingError('bad-tag', `frame ${verifier.sequence} of the session has a wrong tag`);
    }
    this.#reset();
    const frameBytes = header.headerBytes + header.length;
    switch (header.kind) {
      case FrameKind.message:
        return { kind: 'message', clusterId: header.clusterId, message: decodeMessage(payload), frameBytes };
      case FrameKind.handshake:
        return {
          kind: 'handshake',
          clusterId: header.clusterId,
          handshake: decodeHandshake(payload),
          frameBytes,
        };
      case FrameKind.keepalive:
        return { kind: 'keepalive', clusterId: header.clusterId, frameBytes };
      case FrameKind.driver:
        return {
          kind: 'driver',
          clusterId: header.clusterId,
          message: decodeDriverMessage(payload),
          frameBytes,
        };
      case FrameKind.group:
        return { kind: 'group', clusterId: header.clusterId, batch: decodeGroupBatch(payload), frameBytes };
    }
  }

  /** Copies input into the header buffer until it holds `n` bytes; whether it does. */
  #fillHead(n: number): boolean {
    const input = this.#input;
    const head = this.#head;
    let filled = this.#headFilled;
    let at = this.#at;
    // A byte loop: the header is tiny, and this allocates nothing.
    while (filled < n && at < input.length) head[filled++] = input[at++]!;
    this.#headFilled = filled;
    this.#at = at;
    return filled === n;
  }

  /** The whole payload of `length` bytes, or null when the input ran out first (kept in blocks). */
  #takePayload(length: number): Uint8Array | null {
    const input = this.#input;
    let at = this.#at;
    if (this.#payloadFilled === 0 && input.length - at >= length) {
      this.#at = at + length;
      return input.subarray(at, at + length);
    }
    const blocks = this.#blocks;
    while (this.#payloadFilled < length && at < input.length) {
      let block = blocks[blocks.length - 1];
      if (block === undefined || this.#blockFilled === block.length) {
        block = this.allocate(Math.min(BLOCK_BYTES, length - this.#payloadFilled));
        blocks.push(block);
        this.#blockFilled = 0;
      }
      const n = Math.min(block.length - this.#blockFilled, input.length - at);
      block.set(input.subarray(at, at + n), this.#blockFilled);
      this.#blockFilled += n;
      this.#payloadFilled += n;
      at += n;
    }
    this.#at = at;
    if (this.#payloadFilled < length) return null;
    if (blocks.length === 1) return blocks[0]!;
    const payload = this.allocate(length);
    let offset = 0;
    for (const block of blocks) {
      payload.set(block, offset);
      offset += block.length;
    }
    return payload;
  }

  #parseHeader(h: Uint8Array): Header {
    const magic = (h[0]! << 8) | h[1]!;
    if (magic !== FRAME_MAGIC) {
      throw new FramingError(
        'bad-magic',
        `expected magic 0x${FRAME_MAGIC.toString(16)}, got 0x${magic.toString(16)}`,
      );
    }
    const version = h[2]!;
    if (version === FRAME_VERSION) {
      if (this.#verifier !== null) {
        throw new FramingError(
          'unauthenticated',
          'a plain frame where only authenticated frames are accepted',
        );
      }
    } else if (version === FRAME_VERSION_AUTHENTICATED) {
      if (this.#verifier === null) {
        throw new FramingError(
          'unsupported-version',
          'an authenticated frame (version 2), but the decoder has no session key',
        );
      }
    } else {
      throw new FramingError(
        'unsupported-version',
        `frame version ${version} (this decoder reads ${FRAME_VERSION} and ${FRAME_VERSION_AUTHENTICATED})`,
      );
    }
    const kind = h[3]!;
    if (
      kind !== FrameKind.message &&
      kind !== FrameKind.handshake &&
      kind !== FrameKind.keepalive &&
      kind !== FrameKind.driver &&
      kind !== FrameKind.group
    ) {
      throw new FramingError('unknown-kind', `frame kind ${kind}`);
    }
    const length = readU32(h, 8);
    const headerBytes = version === FRAME_VERSION ? FRAME_HEADER_BYTES : AUTHENTICATED_FRAME_HEADER_BYTES;
    // Checked before any payload byte is buffered or allocated: a peer cannot make us
    // hold more than maxFrameBytes for one frame by announcing a huge length.
    if (headerBytes + length > this.#maxFrameBytes) {
      throw new FramingError(
        'too-large',
        `a ${headerBytes + length}-byte frame exceeds maxFrameBytes ${this.#maxFrameBytes}`,
      );
    }
    if (kind === FrameKind.keepalive && length !== 0) {
      throw new FramingError('malformed-payload', `a keep-alive frame with a ${length}-byte payload`);
    }
    return { kind: kind as FrameKind, clusterId: readU32(h, 4), length, crc: readU32(h, 12), headerBytes };
  }

  /**
   * Allocates payload storage; only ever called with a size already checked against
   * `maxFrameBytes`. A method of its own so tests can watch every allocation.
   */
  protected allocate(n: number): Uint8Array {
    return new Uint8Array(n);
  }
}

function checkMaxFrameBytes(max: number): number {
  if (!Number.isSafeInteger(max) || max < FRAME_HEADER_BYTES) {
    throw new InvalidArgumentError(`maxFrameBytes must be an integer >= ${FRAME_HEADER_BYTES}, got ${max}`);
  }
  return max;
}
