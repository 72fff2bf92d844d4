/**
 * Authenticated frames (format version 2): a session's frames round-trip through any split
 * of the stream; any change to a sealed frame, a frame from another session, a replayed,
 * reordered or missing frame, and a plain frame once authenticated are all refused. This
 * is what stops a TCP-level injector without the session key.
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, type Message } from '@raft-io/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTHENTICATED_FRAME_HEADER_BYTES,
  crc32c,
  encodeFrame,
  encodeKeepaliveFrame,
  FRAME_HEADER_BYTES,
  FrameAuthenticator,
  FrameDecoder,
  FrameVerifier,
  FramingError,
} from '../src/index.js';
import { message } from './arbitraries.js';
import { concat, decodeChunks, split } from './helpers.js';

const hb = (context: number): Message => ({ type: 'heartbeat', from: 1, to: 2, term: 5, commit: 3, context });

/** A sender and a decoder sharing one fresh session key. */
function session(key: Uint8Array = randomBytes(32)) {
  const sender = new FrameAuthenticator(key);
  const decoder = new FrameDecoder();
  decoder.authenticate(new FrameVerifier(key));
  return { key, sender, decoder };
}

function reasonOf(error: unknown): string {
  expect(error).toBeInstanceOf(FramingError);
  return (error as FramingError).reason;
}

describe('authenticated frames', () => {
  it('round-trip a session of any messages through any split of the stream', () => {
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (messages, cuts) => {
          const { sender, decoder } = session();
          const sealed = messages.map((m) => sender.seal(encodeFrame(9, m)));
          const { frames, error } = decodeChunks(decoder, split(concat(sealed), cuts));
          expect(error).toBeUndefined();
          expect(frames.map((f) => (f.kind === 'message' ? f.message : f))).toStrictEqual(messages);
          expect(frames.map((f) => f.frameBytes)).toEqual(sealed.map((f) => f.length));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes version 2, keeps the plain header fields and CRC, and adds a 16-byte tag', () => {
    const plain = encodeFrame(0xabcdef, hb(1));
    const sealed = new FrameAuthenticator(randomBytes(32)).seal(plain);
    expect(sealed.length).toBe(plain.length + 16);
    expect(sealed[2]).toBe(2);
    expect(sealed.subarray(3, FRAME_HEADER_BYTES)).toEqual(plain.subarray(3, FRAME_HEADER_BYTES));
    expect(sealed.subarray(AUTHENTICATED_FRAME_HEADER_BYTES)).toEqual(plain.subarray(FRAME_HEADER_BYTES));
  });

  it('sealHeader plus the unchanged payload is the same as seal', () => {
    const key = randomBytes(32);
    const frame = encodeFrame(1, hb(2));
    const a = new FrameAuthenticator(key).seal(frame);
    const header = new FrameAuthenticator(key).sealHeader(frame);
    expect(concat([header, frame.subarray(FRAME_HEADER_BYTES)])).toEqual(a);
  });

  it('refuses a sealed frame with any single bit flipped, wherever it is', () => {
    const key = randomBytes(32);
    const sealed = new FrameAuthenticator(key).seal(encodeFrame(1, hb(3)));
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const f = sealed.slice();
      f[bit >> 3]! ^= 1 << (bit & 7);
      const decoder = new FrameDecoder();
      decoder.authenticate(new FrameVerifier(key));
      const { frames, error } = decodeChunks(decoder, [f]);
      // Whatever the bit hit (magic, version, length, CRC, tag, payload), nothing is delivered.
      if (error === undefined) {
        expect(frames).toEqual([]); // a longer announced length: still waiting for bytes
        expect(decoder.bufferedBytes).toBe(f.length);
      } else {
        expect(frames).toEqual([]);
        expect(error).toBeInstanceOf(FramingError);
      }
    }
  });

  it('refuses a payload changed together with its CRC (forgery, not corruption): bad-tag', () => {
    const { sender, decoder } = session();
    const sealed = sender.seal(encodeFrame(1, hb(4)));
    const forged = sealed.slice();
    forged[forged.length - 1]! ^= 1;
    new DataView(forged.buffer).setUint32(12, crc32c(forged.subarray(AUTHENTICATED_FRAME_HEADER_BYTES)));
    expect(reasonOf(decodeChunks(decoder, [forged]).error)).toBe('bad-tag');
  });

  it('refuses a frame sealed under another key', () => {
    const { decoder } = session();
    const other = new FrameAuthenticator(randomBytes(32)).seal(encodeFrame(1, hb(5)));
    expect(reasonOf(decodeChunks(decoder, [other]).error)).toBe('bad-tag');
  });

  it('refuses a replayed, a reordered and a skipped frame (the sequence number is in the tag)', () => {
    const frames = (() => {
      const { key, sender } = session();
      return { key, f: [0, 1, 2].map((i) => sender.seal(encodeFrame(1, hb(i)))) };
    })();
    const attempt = (order: number[]) => {
      const decoder = new FrameDecoder();
      decoder.authenticate(new FrameVerifier(frames.key));
      return decodeChunks(
        decoder,
        order.map((i) => frames.f[i]!),
      );
    };
    const good = attempt([0, 1, 2]);
    expect(good.error).toBeUndefined();
    expect(good.frames).toHaveLength(3);
    for (const [order, delivered] of [
      [[0, 0], 1], // replay
      [[1, 0], 0], // reorder
      [[0, 2], 1], // a frame cut out of the stream
    ] as const) {
      const { frames: out, error } = attempt([...order]);
      expect(out).toHaveLength(delivered);
      expect(reasonOf(error)).toBe('bad-tag');
    }
  });

  it('refuses a plain frame once authenticated, from its header alone', () => {
    const { sender, decoder } = session();
    const plain = encodeFrame(1, hb(6));
    const { frames, error } = decodeChunks(decoder, [
      sender.seal(encodeFrame(1, hb(5))),
      plain.subarray(0, FRAME_HEADER_BYTES),
    ]);
    expect(frames).toHaveLength(1);
    expect(reasonOf(error)).toBe('unauthenticated');
  });

  it('refuses an authenticated frame on a decoder without a key', () => {
    const sealed = new FrameAuthenticator(randomBytes(32)).seal(encodeFrame(1, hb(7)));
    expect(reasonOf(decodeChunks(new FrameDecoder(), [sealed]).error)).toBe('unsupported-version');
  });

  it('switches to authenticated frames at the frame after the one whose onFrame called authenticate', () => {
    const key = randomBytes(32);
    const sender = new FrameAuthenticator(key);
    const stream = concat([
      encodeFrame(1, hb(1)),
      sender.seal(encodeFrame(1, hb(2))),
      sender.seal(encodeKeepaliveFrame(1)),
    ]);
    const decoder = new FrameDecoder();
    const kinds: string[] = [];
    decoder.push(stream, (f) => {
      kinds.push(f.kind);
      if (!decoder.authenticated) decoder.authenticate(new FrameVerifier(key));
    });
    expect(kinds).toEqual(['message', 'message', 'keepalive']);
  });

  it('checks its inputs: key length, a whole plain frame to seal, one authenticate', () => {
    expect(() => new FrameAuthenticator(new Uint8Array(31))).toThrow(InvalidArgumentError);
    expect(() => new FrameVerifier(new Uint8Array(16))).toThrow(InvalidArgumentError);
    const sender = new FrameAuthenticator(randomBytes(32));
    const frame = encodeFrame(1, hb(1));
    expect(() => sender.seal(frame.subarray(0, frame.length - 1))).toThrow(InvalidArgumentError);
    expect(() => sender.seal(sender.seal(frame))).toThrow(InvalidArgumentError);
    expect(sender.sequence).toBe(1);
    const decoder = new FrameDecoder();
    decoder.authenticate(new FrameVerifier(randomBytes(32)));
    expect(() => decoder.authenticate(new FrameVerifier(randomBytes(32)))).toThrow(InvalidArgumentError);
  });

  it('refuses a keep-alive frame that carries a payload', () => {
    const f = encodeKeepaliveFrame(1);
    const bad = concat([f, new Uint8Array([1])]);
    new DataView(bad.buffer).setUint32(8, 1);
    new DataView(bad.buffer).setUint32(12, crc32c(new Uint8Array([1])));
    expect(reasonOf(decodeChunks(new FrameDecoder(), [bad]).error)).toBe('malformed-payload');
  });
});
