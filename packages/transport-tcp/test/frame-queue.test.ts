/** The per-peer frame queue: never past its bounds, FIFO, batches near the target size. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameQueue } from '../src/frame-queue.js';

type Op = { push: number } | { take: number };

describe('FrameQueue', () => {
  it('never holds more than its bounds, refuses the newest when full, and is FIFO', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(
          fc.oneof(fc.record({ push: fc.integer({ min: 1, max: 300 }) }), fc.record({ take: fc.nat(1000) })),
          {
            maxLength: 200,
          },
        ),
        (maxMessages, maxBytes, ops: Op[]) => {
          const q = new FrameQueue(maxMessages, maxBytes);
          const model: Uint8Array[] = [];
          let seq = 0;
          for (const op of ops) {
            if ('push' in op) {
              const frame = new Uint8Array(op.push).fill(seq++ & 0xff);
              const fits =
                model.length < maxMessages &&
                model.reduce((n, f) => n + f.length, 0) + frame.length <= maxBytes;
              expect(q.push(frame)).toBe(fits);
              if (fits) model.push(frame);
            } else {
              const got = q.take(op.take);
              if (model.length > 0) expect(got.length).toBeGreaterThan(0);
              const bytes = got.reduce((n, f) => n + f.length, 0);
              if (got.length > 1) expect(bytes).toBeLessThanOrEqual(op.take);
              expect(got).toEqual(model.splice(0, got.length));
            }
            expect(q.length).toBe(model.length);
            expect(q.bytes).toBe(model.reduce((n, f) => n + f.length, 0));
            expect(q.length).toBeLessThanOrEqual(maxMessages);
            expect(q.bytes).toBeLessThanOrEqual(maxBytes);
          }
          expect(q.clear()).toBe(model.length);
          expect([q.length, q.bytes]).toEqual([0, 0]);
        },
      ),
    );
  });

  it('stays correct across compaction of a long-running queue', () => {
    const q = new FrameQueue(10, 1 << 20);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 5000; round++) {
      // Mostly one in, one out (so the consumed prefix grows and gets compacted), with a
      // small backlog that must survive each compaction in order.
      const pushes = round % 7 === 0 ? 2 : 1;
      for (let i = 0; i < pushes; i++) if (q.push(Uint8Array.of(next & 0xff))) next++;
      for (const f of q.take(1)) expect(f[0]).toBe(expected++ & 0xff);
    }
    expect(q.length).toBe(next - expected);
    for (const f of q.take(1 << 20)) expect(f[0]).toBe(expected++ & 0xff);
    expect(expected).toBe(next);
  });
});
