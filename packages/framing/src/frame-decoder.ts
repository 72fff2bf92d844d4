/**
 * `FrameDecoder`: turns a byte stream, pushed in chunks of any size, into decoded frames.
 * It checks each header as soon as its 16 bytes are in (magic, version, kind, and the
 * announced size against `maxFrameBytes` before buffering or allocating anything for the
 * payload), then the payload's CRC32C, then decodes it. The first bad byte poisons the
 * decoder: a stream that lost its framing cannot be trusted again, so the connection goes.
 */
import type { Message } from '@raft-io/core';
import { InvalidArgumentError } from '@raft-io/core';
import { crc32c } from './crc32c.js';
import { FramingError } from './errors.js';
import {
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_VERSION,
  FrameKind,
  readU32,
} from './frame.js';
import { decodeHandshake, type Handshake } from './handshake.js';
import { decodeMessage } from './message-codec.js';

/** A decoded message frame. */
export interface MessageFrame {
  readonly kind: 'message';
  /** The cluster id from the frame header. */
  readonly clusterId: number;
  readonly message: Message;
  /** The whole frame's size on the wire (header + payload), in bytes. */
  readonly frameBytes: number;
}

/** A decoded handshake frame. */
export interface HandshakeFrame {
  readonly kind: 'handshake';
  /** The cluster id from the frame header. */
  readonly clusterId: number;
  readonly handshake: Handshake;
  /** The whole frame's size on the wire (header + payload), in bytes. */
  readonly frameBytes: number;
}

export type DecodedFrame = MessageFrame | HandshakeFrame;

export interface FrameDecoderOptions {
  /**
   * The largest frame accepted, header included, in bytes. A header announcing more is
   * refused (`too-large`) before any of its payload is buffered. Default 4 MiB
   * (`DEFAULT_MAX_FRAME_BYTES`); at least `FRAME_HEADER_BYTES`.
   */
  readonly maxFrameBytes?: number;
}

interface Header {
  readonly kind: FrameKind;
  readonly clusterId: number;
  readonly length: number;
  readonly crc: number;
}

export class FrameDecoder {
  /** The bound on a whole frame, in bytes. */
  readonly maxFrameBytes: number;

  /** Pushed chunks not yet consumed; `#offset` bytes of the first are already consumed. */
  #chunks: Uint8Array[] = [];
  #offset = 0;
  #buffered = 0;
  /** The header of the frame being received, once its 16 bytes have been checked. */
  #header: Header | null = null;
  #error: FramingError | null = null;
  readonly #scratch = new Uint8Array(FRAME_HEADER_BYTES);

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isSafeInteger(max) || max < FRAME_HEADER_BYTES) {
      throw new InvalidArgumentError(`maxFrameBytes must be an integer >= ${FRAME_HEADER_BYTES}, got ${max}`);
    }
    this.maxFrameBytes = max;
  }

  /** Bytes pushed but not yet consumed by a whole frame (a header already checked counts as consumed). */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** The error that poisoned this decoder, or null. */
  get error(): FramingError | null {
    return this.#error;
  }

  /**
   * Feeds `chunk` and calls `onFrame` for every frame it completes, in order. Throws
   * `FramingError` at the first bad frame, after delivering the good frames before it; from
   * then on the decoder is poisoned and every call throws (`poisoned`). The decoder keeps a
   * reference to `chunk` until it is consumed: do not reuse its memory. An exception thrown
   * by `onFrame` propagates without poisoning the decoder; frames still buffered are
   * delivered by the next `push`.
   */
  push(chunk: Uint8Array, onFrame: (frame: DecodedFrame) => void): void {
    if (this.#error !== null) {
      throw new FramingError('poisoned', 'the decoder already failed', { cause: this.#error });
    }
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    for (;;) {
      let frame: DecodedFrame | null;
      try {
        frame = this.#next();
      } catch (error) {
        this.#poison(error);
        throw error;
      }
      if (frame === null) return;
      onFrame(frame);
    }
  }

  /**
   * Declares the end of the stream: throws `FramingError` (`truncated`) if a partial frame is
   * buffered (and poisons the decoder); otherwise does nothing.
   */
  end(): void {
    if (this.#error !== null) return;
    if (this.#header !== null || this.#buffered > 0) {
      const error = new FramingError(
        'truncated',
        `the stream ended inside a frame (${this.#buffered} bytes buffered)`,
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
    this.#chunks = [];
    this.#offset = 0;
    this.#buffered = 0;
    this.#header = null;
  }

  /** Decodes the next whole frame, or returns null when more bytes are needed. */
  #next(): DecodedFrame | null {
    let header = this.#header;
    if (header === null) {
      if (this.#buffered < FRAME_HEADER_BYTES) return null;
      header = this.#parseHeader(this.#take(FRAME_HEADER_BYTES, true));
      this.#header = header;
    }
    if (this.#buffered < header.length) return null;
    const payload = this.#take(header.length, false);
    this.#header = null;
    const crc = crc32c(payload);
    if (crc !== header.crc) {
      throw new FramingError(
        'checksum-mismatch',
        `payload CRC32C ${crc.toString(16)} differs from the header's ${header.crc.toString(16)}`,
      );
    }
    const frameBytes = FRAME_HEADER_BYTES + header.length;
    if (header.kind === FrameKind.message) {
      return { kind: 'message', clusterId: header.clusterId, message: decodeMessage(payload), frameBytes };
    }
    return {
      kind: 'handshake',
      clusterId: header.clusterId,
      handshake: decodeHandshake(payload),
      frameBytes,
    };
  }

  #parseHeader(h: Uint8Array): Header {
    const magic = (h[0]! << 8) | h[1]!;
    if (magic !== FRAME_MAGIC) {
      throw new FramingError(
        'bad-magic',
        `expected magic 0x${FRAME_MAGIC.toString(16)}, got 0x${magic.toString(16)}`,
      );
    }
    if (h[2] !== FRAME_VERSION) {
      throw new FramingError(
        'unsupported-version',
        `frame version ${h[2]} (this decoder reads ${FRAME_VERSION})`,
      );
    }
    const kind = h[3]!;
    if (kind !== FrameKind.message && kind !== FrameKind.handshake) {
      throw new FramingError('unknown-kind', `frame kind ${kind}`);
    }
    const length = readU32(h, 8);
    // Checked before any payload byte is buffered or allocated: a peer cannot make us
    // hold more than maxFrameBytes for one frame by announcing a huge length.
    if (FRAME_HEADER_BYTES + length > this.maxFrameBytes) {
      throw new FramingError(
        'too-large',
        `a ${FRAME_HEADER_BYTES + length}-byte frame exceeds maxFrameBytes ${this.maxFrameBytes}`,
      );
    }
    return { kind: kind as FrameKind, clusterId: readU32(h, 4), length, crc: readU32(h, 12) };
  }

  /**
   * Consumes `n <= #buffered` bytes: a view into the first chunk when it holds them all,
   * else a copy (into the reused scratch buffer for a header, or a fresh `n`-byte array).
   */
  #take(n: number, header: boolean): Uint8Array {
    const first = this.#chunks[0];
    if (n === 0) return new Uint8Array(0);
    if (first !== undefined && first.length - this.#offset >= n) {
      const view = first.subarray(this.#offset, this.#offset + n);
      this.#consume(n);
      return view;
    }
    const out = header ? this.#scratch : this.allocate(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0]!;
      const m = Math.min(n - filled, chunk.length - this.#offset);
      out.set(chunk.subarray(this.#offset, this.#offset + m), filled);
      filled += m;
      this.#consume(m);
    }
    return out;
  }

  #consume(n: number): void {
    this.#buffered -= n;
    this.#offset += n;
    const first = this.#chunks[0];
    if (first !== undefined && this.#offset === first.length) {
      this.#chunks.shift();
      this.#offset = 0;
    }
  }

  /**
   * Allocates a payload buffer; only ever called with a size already checked against
   * `maxFrameBytes`. A method of its own so tests can watch every allocation.
   */
  protected allocate(n: number): Uint8Array {
    return new Uint8Array(n);
  }
}
