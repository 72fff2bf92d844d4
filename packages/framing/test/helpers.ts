/** Test helpers: a decoder that records its allocations, stream splitting, concatenation. */
import { type DecodedFrame, FrameDecoder, type FrameDecoderOptions } from '../src/index.js';

/** A FrameDecoder that records the size of every payload buffer it allocates. */
export class WatchedDecoder extends FrameDecoder {
  readonly allocations: number[] = [];

  constructor(options?: FrameDecoderOptions) {
    super(options);
  }

  protected override allocate(n: number): Uint8Array {
    this.allocations.push(n);
    return super.allocate(n);
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Splits `bytes` at the given cut points (any values; taken modulo the length, sorted). */
export function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort(
    (a, b) => a - b,
  );
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

/** Pushes every chunk, collecting frames; returns them with the error thrown, if any. */
export function decodeChunks(
  decoder: FrameDecoder,
  chunks: readonly Uint8Array[],
): { frames: DecodedFrame[]; error: unknown } {
  const frames: DecodedFrame[] = [];
  try {
    for (const chunk of chunks) decoder.push(chunk, (f) => frames.push(f));
    return { frames, error: undefined };
  } catch (error) {
    return { frames, error };
  }
}
