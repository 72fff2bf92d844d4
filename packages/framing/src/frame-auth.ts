/**
 * Frame authentication (format version 2). A version-2 frame is a version-1 frame with the
 * version byte set to 2 and a 16-byte tag between the header and the payload:
 *
 *   tag = first 16 bytes of HMAC-SHA256(key, seq || header[0..16] || payload)
 *
 * where `seq` is the frame's number in its session, a 64-bit big-endian integer counted from
 * 0 by both ends and never sent. A frame that is forged, changed, replayed, reordered, cut
 * out of the stream or moved from another session fails its tag. The CRC32C stays in the
 * header: it still tells corruption from forgery in the logs, and costs little beside the MAC.
 *
 * `FrameAuthenticator` seals the frames one side sends; `FrameVerifier` is handed to a
 * `FrameDecoder` (`authenticate`) to check the frames it receives. One pair per direction
 * of one connection, both made from the same session key (at least 32 bytes, derived by
 * the transport's handshake; never the long-term secret itself).
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from '@raft-io/core';
import {
  AUTHENTICATED_FRAME_HEADER_BYTES,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_TAG_BYTES,
  FRAME_VERSION,
  FRAME_VERSION_AUTHENTICATED,
  readU32,
} from './frame.js';

/** The smallest session key accepted, in bytes. */
export const MIN_FRAME_KEY_BYTES = 32;

/** A session key and the sequence number of the next frame; the tag computation both sides share. */
abstract class FrameMac {
  readonly #key: KeyObject;
  readonly #seq = Buffer.alloc(8);
  #sequence = 0;

  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || key.length < MIN_FRAME_KEY_BYTES) {
      throw new InvalidArgumentError(
        `a frame key must be a Uint8Array of at least ${MIN_FRAME_KEY_BYTES} bytes`,
      );
    }
    // A KeyObject copies the key once and makes each createHmac cheaper than a raw buffer.
    this.#key = createSecretKey(Buffer.from(key));
  }

  /** The sequence number of the next frame (frames sealed or verified so far). */
  get sequence(): number {
    return this.#sequence;
  }

  /** The tag of the frame with this `header` (its first 16 bytes) and `payload`, at the current sequence. */
  protected tag(header: Uint8Array, payload: Uint8Array): Buffer {
    const seq = this.#sequence;
    this.#seq.writeUInt32BE(Math.floor(seq / 0x1_0000_0000), 0);
    this.#seq.writeUInt32BE(seq >>> 0, 4);
    return createHmac('sha256', this.#key)
      .update(this.#seq)
      .update(header)
      .update(payload)
      .digest()
      .subarray(0, FRAME_TAG_BYTES);
  }

  protected advance(): void {
    this.#sequence++;
  }
}

/** Seals the frames one side of a session sends, in the order they go on the wire. */
export class FrameAuthenticator extends FrameMac {
  /**
   * The 32-byte version-2 header for the plain frame `frame` (from `encodeFrame` and its
   * kin): the same fields with version 2, then the tag. Send it followed by
   * `frame.subarray(FRAME_HEADER_BYTES)`, the unchanged payload; this saves copying it.
   * Advances the sequence: seal frames in the order they are sent, each once.
   * Throws `InvalidArgumentError` if `frame` is not one whole plain frame.
   */
  sealHeader(frame: Uint8Array): Uint8Array {
    if (
      frame.length < FRAME_HEADER_BYTES ||
      ((frame[0]! << 8) | frame[1]!) !== FRAME_MAGIC ||
      frame[2] !== FRAME_VERSION ||
      readU32(frame, 8) !== frame.length - FRAME_HEADER_BYTES
    ) {
      throw new InvalidArgumentError('sealHeader needs one whole plain (version 1) frame');
    }
    const header = new Uint8Array(AUTHENTICATED_FRAME_HEADER_BYTES);
    header.set(frame.subarray(0, FRAME_HEADER_BYTES));
    header[2] = FRAME_VERSION_AUTHENTICATED;
    header.set(
      this.tag(header.subarray(0, FRAME_HEADER_BYTES), frame.subarray(FRAME_HEADER_BYTES)),
      FRAME_HEADER_BYTES,
    );
    this.advance();
    return header;
  }

  /** The whole authenticated frame for the plain frame `frame`, in a new array. Advances the sequence. */
  seal(frame: Uint8Array): Uint8Array {
    const header = this.sealHeader(frame);
    const out = new Uint8Array(frame.length + FRAME_TAG_BYTES);
    out.set(header);
    out.set(frame.subarray(FRAME_HEADER_BYTES), AUTHENTICATED_FRAME_HEADER_BYTES);
    return out;
  }
}

/** Checks the frames one side of a session receives; give it to `FrameDecoder.authenticate`. */
export class FrameVerifier extends FrameMac {
  /**
   * Whether `tag` is right for the frame with this `header` (its first 16 bytes) and
   * `payload` at the current sequence; advances the sequence only when it is.
   */
  verify(header: Uint8Array, tag: Uint8Array, payload: Uint8Array): boolean {
    const expected = this.tag(header, payload);
    if (tag.length !== FRAME_TAG_BYTES || !timingSafeEqual(expected, tag)) return false;
    this.advance();
    return true;
  }
}
