/**
 * `DurabilityTracker` passes the log through unchanged, including the optional
 * `membershipEntries` a node reads at start-up (a wrapper that dropped it would make every
 * restart read the whole log).
 */
import { MemoryLog, type RaftLog } from '@raft-io/core';
import { describe, expect, it } from 'vitest';
import { DurabilityTracker } from '../src/durability-tracker.js';

describe('DurabilityTracker', () => {
  it('offers membershipEntries exactly when the inner log does, with the same answer', () => {
    const inner = new MemoryLog();
    inner.write({
      entries: [
        { index: 1, term: 1, type: 'command', data: new Uint8Array([1]) },
        { index: 2, term: 1, type: 'membership', data: new Uint8Array([2]) },
      ],
    });
    const tracked = new DurabilityTracker(inner);
    expect(tracked.membershipEntries?.(1, 3)).toEqual(inner.membershipEntries(1, 3));
    expect(tracked.membershipEntries?.(1, 3).map((e) => e.index)).toEqual([2]);

    // The same log seen through an object without the optional method.
    const withoutIt = Object.fromEntries(
      [
        'hardState',
        'snapshotMetadata',
        'snapshot',
        'firstIndex',
        'lastIndex',
        'term',
        'entries',
        'write',
      ].map((k) => [k, (inner as unknown as Record<string, (...a: unknown[]) => unknown>)[k]!.bind(inner)]),
    ) as unknown as RaftLog;
    expect(new DurabilityTracker(withoutIt).membershipEntries).toBeUndefined();
  });
});
