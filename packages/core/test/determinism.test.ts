/**
 * Determinism of the core: the same config, log and events yield the same actions, bit for
 * bit (source-scan.test.ts checks that the source uses no clock, randomness, timers or I/O).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Action, MemoryLog, type Message, RaftNode } from '../src/index.js';

/** Drive a 3-node cluster from a seed-derived schedule and return its full trace. */
function trace(seed: number, schedule: number[]): string {
  const ids = [1, 2, 3];
  const nodes = new Map(
    ids.map((id) => [id, new RaftNode({ id, voters: ids, seed: (seed + id) >>> 0 }, new MemoryLog())]),
  );
  const queue: Message[] = [];
  const out: string[] = [];
  const record = (id: number, actions: Action[]) => {
    for (const a of actions) {
      if (a.type === 'send') queue.push(a.message);
      out.push(`${id} ${JSON.stringify(a, (_k, v) => (v instanceof Uint8Array ? [...v] : v))}`);
    }
  };
  let n = 0;
  for (const pick of schedule) {
    const id = ids[pick % 3]!;
    if (pick % 5 === 0 && queue.length > 0) {
      const m = queue.splice(pick % queue.length, 1)[0]!;
      record(m.to, nodes.get(m.to)!.step({ type: 'message', message: m }));
    } else if (pick % 7 === 0 && nodes.get(id)!.isLeader()) {
      record(id, nodes.get(id)!.step({ type: 'propose', command: new Uint8Array([n++]) }));
    } else {
      record(id, nodes.get(id)!.step({ type: 'tick' }));
    }
  }
  return out.join('\n');
}

describe('determinism', () => {
  it('same seed and events give identical traces', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.nat(1000), { minLength: 100, maxLength: 400 }),
        (seed, schedule) => {
          expect(trace(seed, schedule)).toBe(trace(seed, schedule));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('different seeds draw different election timeouts', () => {
    const schedule = Array.from({ length: 300 }, (_, i) => (i * 7919) % 1000);
    expect(trace(1, schedule)).not.toBe(trace(2, schedule));
  });
});
