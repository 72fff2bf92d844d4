/**
 * Fuzzing the decoder with random bytes and mutated valid frames: whatever arrives, the
 * decoder throws nothing but FramingError and never allocates a payload buffer over
 * maxFrameBytes. Mutations that keep the CRC valid reach the protobuf decoder itself.
 */

import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crc32c,
  encodeDriverFrame,
  encodeFrame,
  encodeHandshakeFrame,
  FRAME_HEADER_BYTES,
  FrameAuthenticator,
  FrameDecoder,
  FrameVerifier,
  FramingError,
} from '../src/index.js';
import { driverMessage, handshake, message } from './arbitraries.js';
import { concat, decodeChunks, split, WatchedDecoder } from './helpers.js';

const MAX = 512;

const validFrame = fc.oneof(
  message.map((m) => encodeFrame(7, m)),
  handshake.map((h) => encodeHandshakeFrame(7, h)),
  driverMessage.map((m) => encodeDriverFrame(7, m)),
);

type Mutation =
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'length'; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('length' as const),
    value: fc.oneof(fc.nat(2 * MAX), fc.nat({ max: 2 ** 32 - 1 })),
  }),
);

function mutate(frame: Uint8Array, m: Mutation): Uint8Array {
  const f = frame.slice();
  const at = m.kind === 'length' ? 0 : m.at % Math.max(1, f.length);
  switch (m.kind) {
    case 'flip':
      f[at]! ^= m.bits;
      return f;
    case 'set':
      f[at] = m.value;
      return f;
    case 'truncate':
      return f.subarray(0, at);
    case 'insert':
      return concat([f.subarray(0, at), m.bytes, f.subarray(at)]);
    case 'length':
      if (f.length < FRAME_HEADER_BYTES) return f;
      new DataView(f.buffer).setUint32(8, m.value);
      return f;
  }
}

/** Recomputes the header's CRC so that payload mutations get past the checksum. */
function fixCrc(frame: Uint8Array): Uint8Array {
  if (frame.length < FRAME_HEADER_BYTES) return frame;
  const f = frame.slice();
  new DataView(f.buffer).setUint32(12, crc32c(f.subarray(FRAME_HEADER_BYTES)));
  return f;
}

function checkDecoder(stream: Uint8Array, cuts: number[], reasons?: Set<string>): void {
  const decoder = new WatchedDecoder({ maxFrameBytes: MAX });
  const { error } = decodeChunks(decoder, split(stream, cuts));
  if (error !== undefined) {
    expect(error).toBeInstanceOf(FramingError);
    reasons?.add((error as FramingError).reason);
  } else {
    try {
      decoder.end();
    } catch (e) {
      expect((e as FramingError).reason).toBe('truncated');
    }
  }
  for (const n of decoder.allocations) expect(n).toBeLessThanOrEqual(MAX - FRAME_HEADER_BYTES);
}

describe('FrameDecoder fuzz', () => {
  it('random bytes: only FramingError, no allocation over the bound', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) =>
        checkDecoder(bytes, cuts),
      ),
      { numRuns: 1000 },
    );
  });

  it('random bytes behind a valid header prefix reach the length and payload checks', () => {
    const prefix = fc.constantFrom(new Uint8Array([0x52, 0x46, 1, 1]), new Uint8Array([0x52, 0x46, 1, 2]));
    fc.assert(
      fc.property(
        prefix,
        fc.uint8Array({ maxLength: 1024 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (p, rest, cuts) => checkDecoder(concat([p, rest]), cuts),
      ),
      { numRuns: 1000 },
    );
  });

  it('mutated valid frames (with and without a fixed-up CRC): only FramingError', () => {
    const reasons = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(validFrame, { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (frames, mutations, fix, cuts) => {
          let stream = concat(frames);
          for (const m of mutations) stream = mutate(stream, m);
          checkDecoder(fix ? fixCrc(stream) : stream, cuts, reasons);
        },
      ),
      { numRuns: 1500 },
    );
    // The mutations reach every layer: header checks, the checksum, and the protobuf decoder.
    for (const r of ['bad-magic', 'too-large', 'checksum-mismatch', 'malformed-payload'])
      expect(reasons).toContain(r);
  });

  it('mutated authenticated frames: only FramingError, and nothing but the sealed messages delivered', () => {
    const key = randomBytes(32);
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (messages, mutations, fix, cuts) => {
          const sender = new FrameAuthenticator(key);
          let stream = concat(messages.map((m) => sender.seal(encodeFrame(7, m))));
          for (const m of mutations) stream = mutate(stream, m);
          if (fix) stream = fixCrc(stream);
          const decoder = new FrameDecoder({ maxFrameBytes: 64 * 1024 });
          decoder.authenticate(new FrameVerifier(key));
          const { frames, error } = decodeChunks(decoder, split(stream, cuts));
          if (error !== undefined) expect(error).toBeInstanceOf(FramingError);
          // Whatever got through is a prefix of what was sealed, unchanged.
          const got = frames.map((f) => (f.kind === 'message' ? f.message : f));
          expect(got).toStrictEqual(messages.slice(0, got.length));
        },
      ),
      { numRuns: 500 },
    );
  });
});
