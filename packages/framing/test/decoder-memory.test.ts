/**
 * What a partial frame costs: the decoder's memory is the bytes received plus a constant,
 * however the stream is cut. A peer that dribbles a frame one byte per TCP segment must
 * not cost hundreds of bytes per byte (one retained chunk object per segment), assembling
 * a frame from many pieces must allocate linearly (never re-concatenating what it has), and
 * no pushed chunk is kept (the socket's memory is free as soon as `push` returns).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Message } from '@raft-io/core';
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, encodeFrame, FRAME_HEADER_BYTES, FrameDecoder } from '../src/index.js';
import { WatchedDecoder } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function chunkOf(size: number): Message {
  return {
    type: 'install-snapshot',
    from: 1,
    to: 2,
    term: 1,
    metadata: { index: 1, term: 1, membership: { voters: [1, 2], learners: [], outgoingVoters: [] } },
    offset: 0,
    data: Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff),
    done: false,
  };
}

/** Heap plus ArrayBuffer memory after a full collection, in bytes. */
function memory(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('FrameDecoder memory', () => {
  it('holds the bytes received plus a constant when a frame is dribbled one byte per chunk', () => {
    const frame = encodeFrame(1, chunkOf(512 * 1024));
    const dribbled = 256 * 1024;
    const decoder = new WatchedDecoder({ maxFrameBytes: 1024 * 1024 });
    const before = memory();
    for (let i = 0; i < dribbled; i++) {
      // A fresh one-byte buffer per push, as a socket hands out one per segment read.
      decoder.push(Uint8Array.of(frame[i]!), () => expect.unreachable());
    }
    const grown = memory() - before;
    // Retaining each one-byte chunk costs well over 100 bytes per byte (25+ MiB here).
    expect(grown).toBeLessThan(dribbled + 2 * 1024 * 1024);
    // Payload blocks as bytes arrive: never more than the bytes received plus one block.
    const allocated = decoder.allocations.reduce((a, b) => a + b, 0);
    expect(allocated).toBeLessThanOrEqual(dribbled - FRAME_HEADER_BYTES + BLOCK_BYTES);
    expect(decoder.bufferedBytes).toBe(dribbled);
  });

  it('assembles a frame from many pieces with linear allocation (no re-concatenation)', () => {
    const payloadBytes = 1024 * 1024;
    const frame = encodeFrame(1, chunkOf(payloadBytes));
    const decoder = new WatchedDecoder({ maxFrameBytes: 2 * 1024 * 1024 });
    let delivered = 0;
    for (let at = 0; at < frame.length; at += 1000) {
      decoder.push(frame.subarray(at, Math.min(frame.length, at + 1000)), () => delivered++);
    }
    expect(delivered).toBe(1);
    const payload = frame.length - FRAME_HEADER_BYTES;
    // At most blocks of the payload once, then the joined payload once, whatever the chunk
    // size; growing one buffer by concatenation per chunk would allocate ~ payload^2 / 2000.
    expect(decoder.allocations.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * payload);
    expect(Math.max(...decoder.allocations)).toBe(payload);
  });

  it('keeps no reference to a pushed chunk: the caller may reuse its memory at once', () => {
    const message = chunkOf(40_000);
    const frame = encodeFrame(1, message);
    const decoder = new FrameDecoder();
    const scratch = new Uint8Array(frame.length);
    const frames: Message[] = [];
    for (const [from, to] of [
      [0, 10],
      [10, 20_000],
      [20_000, frame.length],
    ] as const) {
      scratch.set(frame.subarray(from, to));
      decoder.push(scratch.subarray(0, to - from), (f) => {
        if (f.kind === 'message') frames.push(f.message);
      });
      scratch.fill(0xee); // the socket reuses its buffer
    }
    expect(frames).toStrictEqual([message]);
  });
});
