/**
 * `LogView`, the node's view of its log within a step (issue 20: it was only exercised through
 * whole nodes). What a step appended, truncated, compacted or installed reads as if written;
 * `flush` hands it all to the RaftLog as one write; `discard` forgets it.
 */
import { describe, expect, it } from 'vitest';
import { CompactedError, type Entry, type LogWrite, MemoryLog, UnavailableError } from '../src/index.js';
import { LogView } from '../src/log-view.js';

const e = (index: number, term: number, size = 10): Entry => ({
  index,
  term,
  type: 'command',
  data: new Uint8Array(size),
});
const membership = { voters: [1], learners: [], outgoingVoters: [] };

/** A MemoryLog holding 1..5 (terms 1,1,1,2,2), recording every write it gets. */
function stored() {
  const log = new MemoryLog();
  log.write({ entries: [e(1, 1), e(2, 1), e(3, 1), e(4, 2), e(5, 2)] });
  const writes: LogWrite[] = [];
  const write = log.write.bind(log);
  log.write = (w: LogWrite) => {
    writes.push(w);
    write(w);
  };
  return { log, view: new LogView(log), writes };
}

describe('LogView', () => {
  it('reads the stored log when the step changed nothing', () => {
    const { view } = stored();
    expect([view.firstIndex(), view.lastIndex(), view.lastTerm(), view.term(0), view.term(4)]).toEqual([
      1, 5, 2, 0, 2,
    ]);
    expect([
      view.termOrUndefined(6),
      view.termOrUndefined(-1),
      view.matchTerm(3, 1),
      view.matchTerm(3, 2),
    ]).toEqual([undefined, undefined, true, false]);
    expect(view.entries(2, 2)).toEqual([]);
    expect(() => view.term(6)).toThrow(UnavailableError);
    expect(() => view.entries(0, 2)).toThrow(CompactedError);
    expect(() => view.entries(5, 7)).toThrow(UnavailableError);
    expect(view.dirty()).toBe(false);
    expect(view.unflushedFrom()).toBe(Number.POSITIVE_INFINITY);
    expect(view.flush(undefined)).toBeUndefined();
  });

  it('an append that overwrites a stored suffix reads through, spans stored and pending entries, and flushes as one write', () => {
    const { log, view, writes } = stored();
    view.append([e(4, 3), e(5, 3), e(6, 3)]);
    expect([view.lastIndex(), view.lastTerm(), view.term(3), view.term(4), view.term(6)]).toEqual([
      6, 3, 1, 3, 3,
    ]);
    expect(() => view.term(7)).toThrow(UnavailableError);
    expect(view.entries(2, 7).map((x) => `${x.index}/${x.term}`)).toEqual([
      '2/1',
      '3/1',
      '4/3',
      '5/3',
      '6/3',
    ]);
    // maxBytes (10 each): the stored part stops first, then the pending part.
    expect(view.entries(2, 7, 20).map((x) => x.index)).toEqual([2, 3]);
    expect(view.entries(3, 7, 25).map((x) => x.index)).toEqual([3, 4]);
    expect(view.entries(5, 7, 5).map((x) => x.index)).toEqual([5]);
    expect(view.unflushedFrom()).toBe(4);
    // A second append in the same step replaces pending entries from its index on.
    view.append([e(6, 4)]);
    expect([view.lastIndex(), view.term(6), view.term(5)]).toEqual([6, 4, 3]);
    expect(view.flush({ term: 4, vote: 1, commit: 3 })).toBe(4);
    expect(writes).toEqual([
      { hardState: { term: 4, vote: 1, commit: 3 }, truncateFrom: 4, entries: [e(4, 3), e(5, 3), e(6, 4)] },
    ]);
    expect([log.lastIndex(), log.term(6), view.lastTerm(), view.dirty()]).toEqual([6, 4, 4, false]);
    // Only a hard state: one write, nothing else in it.
    expect(view.flush({ term: 5, vote: null, commit: 3 })).toBe(Number.POSITIVE_INFINITY);
    expect(writes[1]).toEqual({ hardState: { term: 5, vote: null, commit: 3 } });
  });

  it("a compaction keeps its point's term, refuses reads below it, and changes no entry", () => {
    const { view, writes } = stored();
    const snapshot = { metadata: { index: 3, term: 1, membership }, data: new Uint8Array(1) };
    view.compact(snapshot, 3);
    expect([view.firstIndex(), view.term(3), view.lastIndex(), view.lastTerm()]).toEqual([4, 1, 5, 2]);
    expect(() => view.term(2)).toThrow(CompactedError);
    expect(view.snapshot()).toBe(snapshot);
    expect(view.snapshotMetadata()).toBe(snapshot.metadata);
    expect(view.unflushedFrom()).toBe(Number.POSITIVE_INFINITY);
    view.flush(undefined);
    expect(writes).toEqual([{ snapshot, compact: { index: 3, term: 1 } }]);
    // A snapshot behind the first index stores the snapshot but compacts nothing more.
    const older = { metadata: { index: 2, term: 1, membership }, data: new Uint8Array(1) };
    view.compact(older, 2);
    view.flush(undefined);
    expect(writes[1]).toEqual({ snapshot: older });
  });

  it('an installed snapshot replaces the whole log; entries after it read as pending', () => {
    const { view, writes } = stored();
    const snapshot = { metadata: { index: 9, term: 4, membership }, data: new Uint8Array(1) };
    view.install(snapshot);
    expect([view.firstIndex(), view.lastIndex(), view.lastTerm(), view.term(9)]).toEqual([10, 9, 4, 4]);
    expect(view.unflushedFrom()).toBe(1);
    view.append([e(10, 4)]);
    expect([view.lastIndex(), view.lastTerm()]).toEqual([10, 4]);
    view.flush(undefined);
    expect(writes).toEqual([
      { snapshot, truncateFrom: 1, compact: { index: 9, term: 4 }, entries: [e(10, 4)] },
    ]);
  });

  it('installing into an empty log truncates nothing; compacting past the stored end counts as a change from there', () => {
    const view = new LogView(new MemoryLog());
    view.install({ metadata: { index: 4, term: 2, membership }, data: new Uint8Array(1) });
    expect(view.unflushedFrom()).toBe(1);
    const { view: v2 } = stored();
    v2.compact({ metadata: { index: 5, term: 2, membership }, data: new Uint8Array(1) }, 5);
    expect([v2.firstIndex(), v2.lastIndex(), v2.unflushedFrom()]).toEqual([6, 5, Number.POSITIVE_INFINITY]);
  });

  it('discard forgets everything the step changed', () => {
    const { view, writes } = stored();
    view.append([e(3, 3)]);
    view.compact({ metadata: { index: 2, term: 1, membership }, data: new Uint8Array(1) }, 2);
    view.discard();
    expect([view.firstIndex(), view.lastIndex(), view.lastTerm(), view.dirty(), view.snapshot()]).toEqual([
      1,
      5,
      2,
      false,
      null,
    ]);
    expect(view.flush(undefined)).toBeUndefined();
    expect(writes).toEqual([]);
  });

  it('boundaries: an empty range, the missing index named, maxBytes reached exactly, an entry of another size after a stored stop', () => {
    const { view } = stored();
    expect([view.entries(9, 9), view.entries(0, 0)]).toEqual([[], []]);
    expect(() => view.entries(5, 7)).toThrow(expect.objectContaining({ index: 6 }));
    view.append([e(6, 2, 1), e(7, 2), e(8, 2)]);
    // 10 + 10 bytes is exactly maxBytes: both pending entries fit, the third does not.
    expect(view.entries(7, 9, 20).map((x) => x.index)).toEqual([7, 8]);
    expect(view.entries(7, 9, 19).map((x) => x.index)).toEqual([7]);
    // The stored part stops at 5 (10 + 10 > 15): the 1-byte pending entry 6 would fit, but
    // it is not the next index, so nothing after the stop is read.
    expect(view.entries(4, 7, 15).map((x) => x.index)).toEqual([4]);
  });

  it('appends: nothing to append changes nothing; after the end truncates nothing; below the pending entries truncates from the lower index', () => {
    const { view, writes } = stored();
    view.append([]);
    expect(view.dirty()).toBe(false);
    view.append([e(6, 2)]);
    view.flush(undefined);
    expect(writes[0]).toStrictEqual({ entries: [e(6, 2)] });
    view.append([e(4, 3), e(5, 3), e(6, 3)]);
    view.append([e(2, 4)]);
    expect([view.lastIndex(), view.lastTerm(), view.term(1), view.unflushedFrom()]).toEqual([2, 4, 1, 2]);
    view.flush(undefined);
    expect(writes[1]).toStrictEqual({ truncateFrom: 2, entries: [e(2, 4)] });
  });

  it('a compaction through the first entry; a write holds only the parts the step changed', () => {
    const { view, writes } = stored();
    const snapshot = { metadata: { index: 1, term: 1, membership }, data: new Uint8Array(1) };
    view.compact(snapshot, 1);
    expect([view.firstIndex(), view.term(1)]).toEqual([2, 1]);
    view.flush(undefined);
    expect(writes).toStrictEqual([{ snapshot, compact: { index: 1, term: 1 } }]);
  });

  it('a snapshot installed below the stored end: the log ends at the snapshot, the entries after it are gone', () => {
    const { view, writes } = stored();
    const snapshot = { metadata: { index: 1, term: 3, membership }, data: new Uint8Array(1) };
    view.install(snapshot);
    expect([view.firstIndex(), view.lastIndex(), view.lastTerm(), view.term(1)]).toEqual([2, 1, 3, 3]);
    expect(() => view.term(2)).toThrow(UnavailableError);
    expect(view.termOrUndefined(2)).toBeUndefined();
    expect(view.dirty()).toBe(true);
    view.flush(undefined);
    expect(writes).toStrictEqual([{ snapshot, truncateFrom: 1, compact: { index: 1, term: 3 } }]);
  });

  it('entries after an installed snapshot are read from the step alone (the stored log ends before them)', () => {
    const { view } = stored();
    view.install({ metadata: { index: 9, term: 4, membership }, data: new Uint8Array(1) });
    view.append([e(10, 4), e(11, 4)]);
    expect(view.entries(10, 12).map((x) => x.index)).toEqual([10, 11]);
    expect(view.entries(11, 12).map((x) => x.index)).toEqual([11]);
  });

  it('installing into a log of one entry truncates it; into an empty log nothing', () => {
    const one = new MemoryLog();
    one.write({ entries: [e(1, 1)] });
    const view = new LogView(one);
    const snapshot = { metadata: { index: 4, term: 2, membership }, data: new Uint8Array(1) };
    view.install(snapshot);
    const writes: LogWrite[] = [];
    one.write = (w: LogWrite) => void writes.push(w);
    view.flush(undefined);
    expect(writes).toStrictEqual([{ snapshot, truncateFrom: 1, compact: { index: 4, term: 2 } }]);
    const empty = new MemoryLog();
    const emptyWrites: LogWrite[] = [];
    empty.write = (w: LogWrite) => void emptyWrites.push(w);
    const v2 = new LogView(empty);
    v2.install(snapshot);
    v2.flush(undefined);
    expect(emptyWrites).toStrictEqual([{ snapshot, compact: { index: 4, term: 2 } }]);
  });

  it("the step's own changes bound reads: past its last pending entry is unavailable, below its compaction is compacted", () => {
    const { view } = stored();
    view.append([e(6, 2), e(7, 2)]);
    expect(() => view.entries(6, 9)).toThrow(UnavailableError);
    view.compact({ metadata: { index: 3, term: 1, membership }, data: new Uint8Array(1) }, 3);
    expect(() => view.entries(2, 4)).toThrow(CompactedError);
  });
});
