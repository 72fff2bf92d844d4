/**
 * `MemoryLog`, the in-memory RaftLog, against the RaftLog contract (issue 20: it was only
 * exercised through whole nodes, where a wrong bound rarely shows). Ranges and their errors,
 * the byte limit of a read, truncation, compaction (behind, into and past the log), and a
 * bad write refused before anything changes.
 */
import { describe, expect, it } from 'vitest';
import { CompactedError, type Entry, MemoryLog, StorageError, UnavailableError } from '../src/index.js';

const e = (index: number, term = 1, size = 10, type: Entry['type'] = 'command'): Entry => ({
  index,
  term,
  type,
  data: new Uint8Array(type === 'empty' ? 0 : size),
});
const membership = { voters: [1], learners: [], outgoingVoters: [] };

function logOf(n: number): MemoryLog {
  const log = new MemoryLog();
  log.write({ entries: Array.from({ length: n }, (_, i) => e(i + 1, i < 3 ? 1 : 2)) });
  return log;
}

describe('MemoryLog', () => {
  it('reads terms and entries within [first - 1, last] and refuses outside it', () => {
    const log = logOf(5);
    expect([log.firstIndex(), log.lastIndex()]).toEqual([1, 5]);
    expect(log.term(0)).toBe(0);
    expect(log.term(3)).toBe(1);
    expect(log.term(4)).toBe(2);
    expect(() => log.term(6)).toThrow(UnavailableError);
    expect(log.entries(2, 4).map((x) => x.index)).toEqual([2, 3]);
    expect(log.entries(6, 6)).toEqual([]);
    expect(() => log.entries(0, 2)).toThrow(CompactedError);
    expect(() => log.entries(4, 7)).toThrow(new UnavailableError(6).message);
  });

  it('a read with maxBytes stops before the entry that would pass it, but returns at least one', () => {
    const log = logOf(5); // 10 bytes each
    expect(log.entries(1, 6, 30).map((x) => x.index)).toEqual([1, 2, 3]);
    expect(log.entries(1, 6, 29).map((x) => x.index)).toEqual([1, 2]);
    expect(log.entries(1, 6, 5).map((x) => x.index)).toEqual([1]);
  });

  it('membershipEntries returns only membership entries of the range', () => {
    const log = new MemoryLog();
    log.write({ entries: [e(1), e(2, 1, 4, 'membership'), e(3, 1, 0, 'empty'), e(4, 1, 4, 'membership')] });
    expect(log.membershipEntries(1, 5).map((x) => x.index)).toEqual([2, 4]);
    expect(log.membershipEntries(3, 4)).toEqual([]);
  });

  it('truncates a suffix and appends after it; truncating past the end changes nothing', () => {
    const log = logOf(5);
    log.write({ truncateFrom: 4, entries: [e(4, 3)] });
    expect([log.lastIndex(), log.term(4)]).toEqual([4, 3]);
    log.write({ truncateFrom: 9 });
    expect(log.lastIndex()).toBe(4);
  });

  it('compacts behind, to the end of, and past the log; the compaction point keeps its term', () => {
    const behind = logOf(5);
    behind.write({ compact: { index: 2, term: 1 } });
    expect([behind.firstIndex(), behind.lastIndex(), behind.term(2), behind.term(3)]).toEqual([3, 5, 1, 1]);
    expect(() => behind.term(1)).toThrow(CompactedError);
    behind.write({ compact: { index: 1, term: 1 } }); // older: ignored
    expect(behind.firstIndex()).toBe(3);
    const atEnd = logOf(5);
    atEnd.write({ compact: { index: 5, term: 2 } });
    expect([atEnd.firstIndex(), atEnd.lastIndex(), atEnd.term(5)]).toEqual([6, 5, 2]);
    const past = logOf(3);
    const snapshot = { metadata: { index: 8, term: 4, membership }, data: new Uint8Array([1]) };
    past.write({ snapshot, compact: { index: 8, term: 4 }, entries: [e(9, 4)] });
    expect([past.firstIndex(), past.lastIndex(), past.term(8), past.term(9)]).toEqual([9, 9, 4, 4]);
    expect(past.snapshot()).toBe(snapshot);
    expect(past.snapshotMetadata()).toBe(snapshot.metadata);
  });

  it('refuses, before any change, an append out of order or a truncation into the compacted part', () => {
    const log = logOf(3);
    log.write({ compact: { index: 2, term: 1 } });
    expect(() => log.write({ hardState: { term: 9, vote: 1, commit: 0 }, entries: [e(5)] })).toThrow(
      'append out of order: expected index 4, got 5',
    );
    expect(() => log.write({ truncateFrom: 2 })).toThrow(StorageError);
    expect(() => log.write({ truncateFrom: 2 })).toThrow('cannot truncate from 2: compacted through 2');
    expect(log.hardState().term).toBe(0);
    expect([log.firstIndex(), log.lastIndex()]).toEqual([3, 3]);
    // The same append after a truncation or a compaction is in order.
    log.write({ truncateFrom: 3, entries: [e(3, 2)] });
    expect(log.term(3)).toBe(2);
    log.write({ compact: { index: 6, term: 3 }, entries: [e(7, 3)] });
    expect([log.firstIndex(), log.lastIndex()]).toEqual([7, 7]);
  });
});
