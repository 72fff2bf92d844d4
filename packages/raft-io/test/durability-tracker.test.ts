/**
 * `DurabilityTracker` passes the log through unchanged, including the optional
 * `membershipEntries` a node reads at start-up (a wrapper that dropped it would make every
 * restart read the whole log), and holds a write that only moves the commit index until
 * the next write, sync or close (one transaction fewer per step on a busy leader).
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

  it('holds a commit-only write until the next write, sync or close', () => {
    // init: a log with term 1, vote 1 and two entries.
    const inner = new MemoryLog();
    const writes: unknown[] = [];
    const spy = Object.assign(Object.create(inner) as MemoryLog, {
      write: (w: Parameters<MemoryLog['write']>[0]) => {
        writes.push(w);
        inner.write(w);
      },
    });
    const data = new Uint8Array([1]);
    const tracked = new DurabilityTracker(spy, true);
    tracked.write({
      hardState: { term: 1, vote: 1, commit: 0 },
      entries: [1, 2].map((index) => ({ index, term: 1, type: 'command' as const, data })),
    });
    // act: two commit-only writes. check: neither reaches the log, the tracker reads the newest.
    tracked.write({ hardState: { term: 1, vote: 1, commit: 1 } });
    tracked.write({ hardState: { term: 1, vote: 1, commit: 2 } });
    expect(writes).toHaveLength(1);
    expect(tracked.hardState().commit).toBe(2);
    // act: an append. check: it carries the held commit index in the same write.
    tracked.write({ entries: [{ index: 3, term: 1, type: 'command', data }] });
    expect(writes).toHaveLength(2);
    expect(inner.hardState()).toEqual({ term: 1, vote: 1, commit: 2 });
    // act: a vote is never held; a held commit is written before a sync and on close.
    tracked.write({ hardState: { term: 2, vote: 2, commit: 2 } });
    expect(writes).toHaveLength(3);
    tracked.write({ hardState: { term: 2, vote: 2, commit: 3 } });
    tracked.sync();
    expect(inner.hardState().commit).toBe(3);
    tracked.write({ hardState: { term: 2, vote: 2, commit: 3 } });
    tracked.close();
    expect(writes).toHaveLength(5);
  });
});
