/**
 * Frames: encodeFrame / encodeHandshakeFrame and the streaming FrameDecoder. Any split of a
 * stream decodes to the same frames; each kind of bad header is refused with its reason,
 * an oversized frame before its payload arrives; a failed decoder stays failed.
 */
import { InvalidArgumentError, type Message } from '@raft-io/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crc32c,
  type DecodedFrame,
  encodeFrame,
  encodeHandshakeFrame,
  FRAME_HEADER_BYTES,
  FrameDecoder,
  FramingError,
  type Handshake,
} from '../src/index.js';
import { handshake, message } from './arbitraries.js';
import { concat, decodeChunks, split, WatchedDecoder } from './helpers.js';

const hb: Message = { type: 'heartbeat', from: 1, to: 2, term: 5, commit: 3, context: 0 };

type Item = { clusterId: number } & ({ message: Message } | { handshake: Handshake });
const item: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ clusterId: fc.nat({ max: 2 ** 32 - 1 }), message }, { noNullPrototype: true }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ clusterId: fc.nat({ max: 2 ** 32 - 1 }), handshake }, { noNullPrototype: true }),
  },
);

function encodeItem(i: Item): Uint8Array {
  return 'message' in i
    ? encodeFrame(i.clusterId, i.message)
    : encodeHandshakeFrame(i.clusterId, i.handshake);
}

function asItem(f: DecodedFrame): Item {
  if (f.kind === 'keepalive' || f.kind === 'driver' || f.kind === 'group')
    throw new Error(`no ${f.kind} frames in these streams`);
  return f.kind === 'message'
    ? { clusterId: f.clusterId, message: f.message }
    : { clusterId: f.clusterId, handshake: f.handshake };
}

function reasonOf(error: unknown): string {
  expect(error).toBeInstanceOf(FramingError);
  return (error as FramingError).reason;
}

describe('FrameDecoder', () => {
  it('decodes any split of a stream of frames into the same frames, in order', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (items, cuts) => {
        const frames = items.map(encodeItem);
        const chunks = split(concat(frames), cuts);
        const decoder = new WatchedDecoder();
        const { frames: out, error } = decodeChunks(decoder, chunks);
        expect(error).toBeUndefined();
        expect(out.map(asItem)).toStrictEqual(items);
        expect(out.map((f) => f.frameBytes)).toEqual(frames.map((f) => f.length));
        expect(decoder.bufferedBytes).toBe(0);
        decoder.end();
        for (const n of decoder.allocations) expect(n).toBeLessThanOrEqual(decoder.maxFrameBytes);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes byte-by-byte feeding', () => {
    const stream = concat([
      encodeFrame(9, hb),
      encodeHandshakeFrame(9, { from: 1, to: 2, protocolVersion: 1 }),
    ]);
    const { frames, error } = decodeChunks(new FrameDecoder(), split(stream, [...stream.keys()]));
    expect(error).toBeUndefined();
    expect(frames.map((f) => f.kind)).toEqual(['message', 'handshake']);
  });

  it('writes the documented header: magic, version, kind, cluster id, length, CRC32C', () => {
    const frame = encodeFrame(0xdeadbeef, hb);
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const payload = frame.subarray(FRAME_HEADER_BYTES);
    expect([frame[0], frame[1], frame[2], frame[3]]).toEqual([0x52, 0x46, 1, 1]);
    expect(view.getUint32(4)).toBe(0xdeadbeef);
    expect(view.getUint32(8)).toBe(payload.length);
    expect(view.getUint32(12)).toBe(crc32c(payload));
    expect(encodeHandshakeFrame(1, { from: 1, to: 2, protocolVersion: 1 })[3]).toBe(2);
  });

  it('refuses a bad header at once, with its reason', () => {
    const good = encodeFrame(1, hb);
    const cases: [string, (f: Uint8Array) => void][] = [
      ['bad-magic', (f) => (f[0] = 0x00)],
      ['bad-magic', (f) => (f[1] = 0x47)],
      ['unsupported-version', (f) => (f[2] = 2)],
      ['unsupported-version', (f) => (f[2] = 0)],
      ['unknown-kind', (f) => (f[3] = 0)],
      ['unknown-kind', (f) => (f[3] = 6)],
      ['checksum-mismatch', (f) => (f[12]! ^= 1)],
      ['checksum-mismatch', (f) => (f[f.length - 1]! ^= 0x80)],
    ];
    for (const [reason, mutate] of cases) {
      const f = good.slice();
      mutate(f);
      const { frames, error } = decodeChunks(new FrameDecoder(), [f]);
      expect(frames).toEqual([]);
      expect(reasonOf(error)).toBe(reason);
    }
  });

  it('refuses an oversized length from the header alone, before any payload arrives', () => {
    const decoder = new WatchedDecoder({ maxFrameBytes: 1024 });
    const header = encodeFrame(1, hb).slice(0, FRAME_HEADER_BYTES);
    new DataView(header.buffer).setUint32(8, 0xffffffff);
    const { error } = decodeChunks(decoder, [header]);
    expect(reasonOf(error)).toBe('too-large');
    expect(decoder.allocations).toEqual([]);
    // exactly at the bound is fine; one byte over is not
    const frame = encodeFrame(1, { ...hb, commit: 0 });
    expect(decodeChunks(new FrameDecoder({ maxFrameBytes: frame.length }), [frame]).error).toBeUndefined();
    expect(reasonOf(decodeChunks(new FrameDecoder({ maxFrameBytes: frame.length - 1 }), [frame]).error)).toBe(
      'too-large',
    );
  });

  it('delivers the good frames before a bad one, then stays poisoned', () => {
    const bad = encodeFrame(1, hb);
    bad[0] = 0;
    const decoder = new FrameDecoder();
    const { frames, error } = decodeChunks(decoder, [
      concat([encodeFrame(1, hb), encodeFrame(2, hb), bad, encodeFrame(3, hb)]),
    ]);
    expect(frames.map((f) => f.clusterId)).toEqual([1, 2]);
    expect(reasonOf(error)).toBe('bad-magic');
    expect(decoder.error).toBe(error);
    expect(decoder.bufferedBytes).toBe(0);
    const again = decodeChunks(decoder, [encodeFrame(4, hb)]);
    expect(again.frames).toEqual([]);
    expect(reasonOf(again.error)).toBe('poisoned');
    expect((again.error as FramingError).cause).toBe(error);
  });

  it('reports a stream that ends inside a frame as truncated', () => {
    const frame = encodeFrame(1, hb);
    for (const cut of [1, FRAME_HEADER_BYTES - 1, FRAME_HEADER_BYTES, frame.length - 1]) {
      const decoder = new FrameDecoder();
      decoder.push(frame.subarray(0, cut), () => expect.unreachable());
      expect(() => decoder.end()).toThrow(expect.objectContaining({ reason: 'truncated' }));
    }
    const whole = new FrameDecoder();
    whole.push(frame, () => {});
    expect(() => whole.end()).not.toThrow();
  });

  it('refuses a payload that is not a message of its kind (valid CRC)', () => {
    const payload = new Uint8Array([0x08, 0x01]); // from=1 only: no to, no body
    const frame = encodeFrame(1, hb).slice(0, FRAME_HEADER_BYTES);
    const view = new DataView(frame.buffer);
    view.setUint32(8, payload.length);
    view.setUint32(12, crc32c(payload));
    expect(reasonOf(decodeChunks(new FrameDecoder(), [frame, payload]).error)).toBe('invalid-value');
    frame[3] = 2; // as a handshake: to is missing
    expect(reasonOf(decodeChunks(new FrameDecoder(), [frame, payload]).error)).toBe('invalid-value');
  });

  it('lets an onFrame exception through without poisoning, and resumes on the next push', () => {
    const decoder = new FrameDecoder();
    const seen: number[] = [];
    let first = true;
    const onFrame = (f: DecodedFrame) => {
      seen.push(f.clusterId);
      if (first) {
        first = false;
        throw new Error('consumer failed');
      }
    };
    expect(() => decoder.push(concat([encodeFrame(1, hb), encodeFrame(2, hb)]), onFrame)).toThrow(
      'consumer failed',
    );
    expect(decoder.error).toBeNull();
    decoder.push(new Uint8Array(0), onFrame);
    expect(seen).toEqual([1, 2]);
  });

  it('validates its options and the encoder inputs', () => {
    expect(() => new FrameDecoder({ maxFrameBytes: 8 })).toThrow(InvalidArgumentError);
    expect(() => encodeFrame(-1, hb)).toThrow(InvalidArgumentError);
    expect(() => encodeFrame(2 ** 32, hb)).toThrow(InvalidArgumentError);
    expect(() => encodeHandshakeFrame(1, { from: 1, to: 2, protocolVersion: 0 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => encodeHandshakeFrame(1, { from: 0, to: 2, protocolVersion: 1 })).toThrow(
      InvalidArgumentError,
    );
    for (const field of ['nonce', 'proof']) {
      expect(() =>
        encodeHandshakeFrame(1, { from: 1, to: 2, protocolVersion: 1, [field]: new Uint8Array(31) }),
      ).toThrow(InvalidArgumentError);
    }
  });

  it('refuses a handshake whose nonce or proof is not exactly 32 bytes', () => {
    for (const [field, tag] of [
      ['nonce', 0x22],
      ['proof', 0x2a],
    ] as const) {
      // from=1, to=2, protocolVersion=1, then the field with 31 bytes.
      const payload = new Uint8Array([0x08, 1, 0x10, 2, 0x18, 1, tag, 31, ...new Uint8Array(31)]);
      const header = encodeFrame(1, hb).slice(0, FRAME_HEADER_BYTES);
      header[3] = 2;
      new DataView(header.buffer).setUint32(8, payload.length);
      new DataView(header.buffer).setUint32(12, crc32c(payload));
      const { error } = decodeChunks(new FrameDecoder(), [header, payload]);
      expect(reasonOf(error)).toBe('invalid-value');
      expect((error as FramingError).field).toBe(field);
    }
  });
});
