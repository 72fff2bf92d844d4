/**
 * `CowLog`, the model checker's log: the `RaftLog` compliance suite (a reopen reads what
 * was synced), plus what the checker relies on: a crash loses exactly the unsynced writes,
 * and a copy shares its images but never sees the original's later writes.
 */
import type { Entry } from '@raft-io/core';
import { describe, expect, it } from 'vitest';
import { CowLog } from '../src/check/cow-log.js';
import { CLONE, cloneGraph } from '../src/check/graph.js';
import { runRaftLogCompliance } from '../src/compliance/raft-log-compliance.js';

runRaftLogCompliance('CowLog', {
  open: () => new CowLog(),
  reopen: (log) => {
    const old = log as CowLog;
    const next = new CowLog();
    next.durable = old.durable;
    next.current = old.durable;
    return next;
  },
});

const entry = (index: number, term: number): Entry => ({
  index,
  term,
  type: 'command',
  data: new Uint8Array([index]),
});

describe('CowLog', () => {
  it('loses the unsynced writes on a crash, and keeps the synced ones', () => {
    const log = new CowLog();
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: [entry(1, 1)] });
    log.sync();
    log.write({ hardState: { term: 2, vote: null, commit: 1 }, entries: [entry(2, 2)] });
    expect(log.hasPending()).toBe(true);
    expect(log.lastIndex()).toBe(2);
    log.crash();
    expect(log.hasPending()).toBe(false);
    expect(log.lastIndex()).toBe(1);
    expect(log.hardState()).toEqual({ term: 1, vote: 1, commit: 0 });
  });

  it('freezes what it stores, and a copy shares it without seeing later writes', () => {
    const log = new CowLog();
    log.write({ entries: [entry(1, 1)] });
    expect(Object.isFrozen(log.entries(1, 2)[0])).toBe(true);
    const copy = cloneGraph({ log }).log;
    expect(copy).not.toBe(log);
    expect(copy.current).toBe(log.current);
    log.write({ entries: [entry(2, 1)] });
    expect(copy.lastIndex()).toBe(1);
    expect(log[CLONE]().lastIndex()).toBe(2);
    expect(log.durableView().lastIndex()).toBe(0);
  });

  it('refuses an append out of order or a truncation below the compaction point, unchanged', () => {
    const log = new CowLog();
    log.write({ entries: [entry(1, 1), entry(2, 1)] });
    expect(() => log.write({ entries: [entry(4, 1)] })).toThrow(/out of order/);
    log.write({
      snapshot: {
        metadata: { index: 2, term: 1, membership: { voters: [1], learners: [], outgoingVoters: [] } },
        data: new Uint8Array(),
      },
      compact: { index: 2, term: 1 },
    });
    expect(() => log.write({ truncateFrom: 1 })).toThrow(/compacted/);
    expect(log.firstIndex()).toBe(3);
    expect(log.term(2)).toBe(1);
  });
});
