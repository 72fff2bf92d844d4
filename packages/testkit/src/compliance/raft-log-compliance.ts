/**
 * The `RaftLog` compliance suite: every rule written in the doc comments of core's
 * `raft-log.ts`, checked against any implementation, plus a fast-check model test that
 * applies random valid writes to the log and to a reference model (a plain array) and
 * compares them after every write and after reopening the store.
 *
 * Call it from an implementation's own vitest file:
 *
 * ```ts
 * runRaftLogCompliance('MemoryLog', { open: () => new MemoryLog(), reopen: (log) => log });
 * ```
 */
import {
  CompactedError,
  EMPTY_HARD_STATE,
  type Entry,
  type EntryType,
  type HardState,
  type LogWrite,
  type Membership,
  type RaftLog,
  type Snapshot,
  StorageError,
  UnavailableError,
} from '@raft-io/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** How the suite gets logs to test. */
export interface RaftLogFactory {
  /** Open a new, empty log. Called at least once per test; every log it returns is a separate store. */
  open(): RaftLog | Promise<RaftLog>;
  /**
   * Close `log` cleanly and open the same store again, to check that everything written
   * persists. The suite calls `log.sync?.()` first. A log without durable storage (such as
   * `MemoryLog`, which is its own disk) returns the same instance.
   */
  reopen(log: RaftLog): RaftLog | Promise<RaftLog>;
  /** Called after each test, once the suite has closed its logs: delete files, temp dirs. */
  cleanup?(): void | Promise<void>;
}

/** Tuning for `runRaftLogCompliance`. */
export interface RaftLogComplianceOptions {
  /** Random write sequences tried by the model test. Default 100. */
  modelRuns?: number;
  /** Most writes in one model sequence. Default 30. */
  modelMaxWrites?: number;
  /** Per-test timeout in ms for the model test (a durable log fsyncs every write). Default 60000. */
  modelTimeoutMs?: number;
}

type EntryView = { index: number; term: number; type: EntryType; data: string };

const TYPES: readonly EntryType[] = ['command', 'empty', 'membership'];

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Entries as plain comparable values (data as hex), so Buffer and Uint8Array compare equal. */
function view(entries: readonly Entry[]): EntryView[] {
  return entries.map((e) => ({ index: e.index, term: e.term, type: e.type, data: hex(e.data) }));
}

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** A command entry whose data names its index and term, so a misplaced entry shows. */
function entry(index: number, term: number, data?: Uint8Array, type: EntryType = 'command'): Entry {
  return { index, term, type, data: data ?? new TextEncoder().encode(`e${index}t${term}`) };
}

/** Entries `from..to` (inclusive), all in `term`. */
function run(from: number, to: number, term: number): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(entry(i, term));
  return out;
}

function membership(voters: number[], learners: number[] = [], outgoingVoters: number[] = []): Membership {
  return { voters, learners, outgoingVoters };
}

function snapshot(index: number, term: number, data: Uint8Array, m = membership([1, 2, 3])): Snapshot {
  return { metadata: { index, term, membership: m }, data };
}

function expectThrows(
  fn: () => unknown,
  type: typeof CompactedError | typeof UnavailableError,
  index: number,
) {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a throw').toBeInstanceOf(type);
  const error = caught as CompactedError;
  expect(error.code).toBe(type === CompactedError ? 'COMPACTED' : 'UNAVAILABLE');
  expect(error.index).toBe(index);
}

function expectStorageError(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a StorageError').toBeInstanceOf(StorageError);
  expect((caught as StorageError).code).toBe('STORAGE');
}

/** Everything a reader can observe of a log, as plain values. */
function observe(log: RaftLog) {
  const first = log.firstIndex();
  const last = log.lastIndex();
  const terms: number[] = [];
  for (let i = first - 1; i <= last; i++) terms.push(log.term(i));
  const snap = log.snapshot();
  return {
    firstIndex: first,
    lastIndex: last,
    hardState: { ...log.hardState() },
    snapshotMetadata: log.snapshotMetadata(),
    snapshot: snap === null ? null : { metadata: snap.metadata, data: hex(snap.data) },
    terms,
    entries: view(log.entries(first, last + 1)),
  };
}

// ---------------------------------------------------------------------------------------
// The reference model: the rules of `LogWrite`, written as plainly as possible.

interface Model {
  hardState: HardState;
  snapshot: Snapshot | null;
  /** Compaction point: (index, term). */
  offset: number;
  offsetTerm: number;
  entries: Entry[];
}

function newModel(): Model {
  return { hardState: EMPTY_HARD_STATE, snapshot: null, offset: 0, offsetTerm: 0, entries: [] };
}

function modelLast(m: Model): number {
  return m.offset + m.entries.length;
}

function modelTerm(m: Model, index: number): number {
  return index === m.offset ? m.offsetTerm : m.entries[index - m.offset - 1]!.term;
}

/** Apply a write in the documented order: hard state, snapshot, truncateFrom, compact, entries. */
function applyToModel(m: Model, w: LogWrite): void {
  if (w.hardState) m.hardState = w.hardState;
  if (w.snapshot) m.snapshot = w.snapshot;
  if (w.truncateFrom !== undefined) m.entries = m.entries.filter((e) => e.index < w.truncateFrom!);
  if (w.compact) {
    const { index, term } = w.compact;
    m.entries = index >= modelLast(m) ? [] : m.entries.filter((e) => e.index > index);
    m.offset = index;
    m.offsetTerm = term;
  }
  for (const e of w.entries ?? []) m.entries.push(e);
}

function observeModel(m: Model) {
  const last = modelLast(m);
  const terms: number[] = [];
  for (let i = m.offset; i <= last; i++) terms.push(modelTerm(m, i));
  return {
    firstIndex: m.offset + 1,
    lastIndex: last,
    hardState: { ...m.hardState },
    snapshotMetadata: m.snapshot?.metadata ?? null,
    snapshot: m.snapshot === null ? null : { metadata: m.snapshot.metadata, data: hex(m.snapshot.data) },
    terms,
    entries: view(m.entries),
  };
}

/** The documented `entries(lo, hi, maxBytes)` result on the model. */
function modelEntries(m: Model, lo: number, hi: number, maxBytes: number): Entry[] {
  const out: Entry[] = [];
  let size = 0;
  for (const e of m.entries) {
    if (e.index < lo || e.index >= hi) continue;
    size += e.data.length;
    if (out.length > 0 && size > maxBytes) break;
    out.push(e);
  }
  return out;
}

// Abstract operations: numbers in [0, 1000] pick positions relative to the model's state, so
// every generated sequence is valid whatever came before it (and shrinks well).
type EntrySeed = { termBump: number; type: EntryType; data: Uint8Array };
type Op =
  | { kind: 'append'; entries: EntrySeed[] }
  | { kind: 'hard-state'; termBump: number; vote: number | null; commit: number }
  | { kind: 'truncate-append'; at: number; past: number; entries: EntrySeed[] }
  | { kind: 'compact'; at: number; past: number; termBump: number }
  | {
      kind: 'install-snapshot';
      at: number;
      past: number;
      data: Uint8Array;
      membership: Membership;
      hardState: boolean;
      entries: EntrySeed[];
    }
  | { kind: 'snapshot-keep-tail'; at: number; tail: number; data: Uint8Array; membership: Membership }
  | { kind: 'bad-append'; shape: 'gap' | 'overlap' | 'hole'; hardState: boolean; entries: EntrySeed[] }
  | { kind: 'read'; lo: number; hi: number; upTo: number; slack: number }
  | { kind: 'reopen' };

const entrySeed: fc.Arbitrary<EntrySeed> = fc.record({
  termBump: fc.nat({ max: 1 }),
  type: fc.constantFrom(...TYPES),
  data: fc.uint8Array({ maxLength: 48 }),
});
const entrySeeds = (min: number) => fc.array(entrySeed, { minLength: min, maxLength: 6 });
const frac = fc.nat({ max: 1000 });
const ids = fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 4 });
const membershipArb: fc.Arbitrary<Membership> = fc.record({
  voters: ids,
  learners: ids,
  outgoingVoters: ids,
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), entries: entrySeeds(1) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('hard-state' as const),
      termBump: fc.nat({ max: 2 }),
      vote: fc.option(fc.integer({ min: 1, max: 9 })),
      commit: frac,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('truncate-append' as const),
      at: frac,
      past: fc.nat({ max: 2 }),
      entries: entrySeeds(0),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('compact' as const),
      at: frac,
      past: fc.nat({ max: 3 }),
      termBump: fc.nat({ max: 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('install-snapshot' as const),
      at: frac,
      past: fc.nat({ max: 4 }),
      data: fc.uint8Array({ maxLength: 256 }),
      membership: membershipArb,
      hardState: fc.boolean(),
      entries: entrySeeds(0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('snapshot-keep-tail' as const),
      at: frac,
      tail: fc.nat({ max: 4 }),
      data: fc.uint8Array({ maxLength: 256 }),
      membership: membershipArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bad-append' as const),
      shape: fc.constantFrom('gap' as const, 'overlap' as const, 'hole' as const),
      hardState: fc.boolean(),
      entries: entrySeeds(2),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      lo: frac,
      hi: frac,
      upTo: frac,
      slack: fc.integer({ min: -1, max: 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

/** Pick an integer in `[lo, hi]` by a fraction in [0, 1000]. */
function pick(lo: number, hi: number, at: number): number {
  return hi <= lo ? lo : lo + Math.floor(((hi - lo + 1) * Math.min(at, 999)) / 1000);
}

function materialize(from: number, seeds: readonly EntrySeed[], baseTerm: number): Entry[] {
  let term = Math.max(1, baseTerm);
  return seeds.map((s, i) => {
    term += s.termBump;
    return { index: from + i, term, type: s.type, data: s.data };
  });
}

function lastTerm(m: Model): number {
  return modelTerm(m, modelLast(m));
}

/** Turn an abstract op into a concrete `LogWrite` for the model's current state. */
function toWrite(m: Model, op: Op): LogWrite | undefined {
  const first = m.offset + 1;
  const last = modelLast(m);
  switch (op.kind) {
    case 'append':
      return { entries: materialize(last + 1, op.entries, lastTerm(m)) };
    case 'hard-state':
      return {
        hardState: {
          term: m.hardState.term + op.termBump,
          vote: op.vote,
          commit: pick(0, last, op.commit),
        },
      };
    case 'truncate-append': {
      // From anywhere in [firstIndex, lastIndex + 1], or past the end (deletes nothing).
      const from = op.past > 0 ? last + op.past : pick(first, last + 1, op.at);
      const kept = Math.min(from - 1, last);
      return { truncateFrom: from, entries: materialize(kept + 1, op.entries, modelTerm(m, kept) + 1) };
    }
    case 'compact': {
      const index = op.past > 0 ? last + op.past : pick(first, last, op.at);
      if (index <= m.offset) return undefined;
      const term = index <= last ? modelTerm(m, index) : lastTerm(m) + op.termBump;
      return { compact: { index, term } };
    }
    case 'install-snapshot': {
      const index = op.past > 0 ? last + op.past : pick(first, last, op.at);
      if (index <= m.offset) return undefined;
      const term = Math.max(1, index <= last ? modelTerm(m, index) : lastTerm(m) + 1);
      const write: LogWrite = {
        snapshot: { metadata: { index, term, membership: op.membership }, data: op.data },
        truncateFrom: first,
        compact: { index, term },
        entries: materialize(index + 1, op.entries, term),
      };
      return op.hardState
        ? { ...write, hardState: { term: Math.max(term, m.hardState.term), vote: null, commit: index } }
        : write;
    }
    case 'snapshot-keep-tail': {
      if (last < first) return undefined;
      const index = pick(first, last, op.at);
      const compactAt = index - op.tail;
      const snap = {
        metadata: { index, term: modelTerm(m, index), membership: op.membership },
        data: op.data,
      };
      return compactAt > m.offset
        ? { snapshot: snap, compact: { index: compactAt, term: modelTerm(m, compactAt) } }
        : { snapshot: snap };
    }
    default:
      return undefined;
  }
}

function badWrite(m: Model, op: Extract<Op, { kind: 'bad-append' }>): LogWrite {
  const last = modelLast(m);
  let entries = materialize(last + 1, op.entries, lastTerm(m));
  if (op.shape === 'gap') entries = entries.map((e) => ({ ...e, index: e.index + 1 }));
  if (op.shape === 'overlap') entries = entries.map((e) => ({ ...e, index: e.index - 1 }));
  if (op.shape === 'hole') entries = entries.map((e, i) => (i === 0 ? e : { ...e, index: e.index + 1 }));
  const hardState = { term: m.hardState.term + 1, vote: 7, commit: 0 };
  return op.hardState ? { hardState, entries } : { entries };
}

/**
 * Register the compliance suite for one `RaftLog` implementation under `describe(name)`.
 * Every test opens fresh logs from `factory` and closes them afterwards.
 */
export function runRaftLogCompliance(
  name: string,
  factory: RaftLogFactory,
  options: RaftLogComplianceOptions = {},
): void {
  const modelRuns = options.modelRuns ?? 100;
  const modelMaxWrites = options.modelMaxWrites ?? 30;

  describe(`RaftLog compliance: ${name}`, () => {
    let log: RaftLog;
    const opened = new Set<RaftLog>();

    async function open(): Promise<RaftLog> {
      const l = await factory.open();
      opened.add(l);
      return l;
    }

    /** Close and reopen `log` (after syncing it), and return the reopened log. */
    async function reopen(l: RaftLog): Promise<RaftLog> {
      l.sync?.();
      const next = await factory.reopen(l);
      opened.add(next);
      return next;
    }

    function closeAll(): void {
      for (const l of opened) l.close?.();
      opened.clear();
    }

    beforeEach(async () => {
      log = await open();
    });

    afterEach(async () => {
      closeAll();
      await factory.cleanup?.();
    });

    describe('a new log', () => {
      it('has first index 1, last index 0, compaction point (0, term 0) and an empty hard state', () => {
        expect(log.firstIndex()).toBe(1);
        expect(log.lastIndex()).toBe(0);
        expect(log.term(0)).toBe(0);
        expect(log.hardState()).toEqual({ term: 0, vote: null, commit: 0 });
        expect(log.snapshotMetadata()).toBeNull();
        expect(log.snapshot()).toBeNull();
        expect(log.entries(1, 1)).toEqual([]);
      });

      it('throws UnavailableError past the end and CompactedError below the compaction point', () => {
        expectThrows(() => log.term(1), UnavailableError, 1);
        expectThrows(() => log.term(-1), CompactedError, -1);
        expectThrows(() => log.entries(1, 2), UnavailableError, 1);
        expectThrows(() => log.entries(0, 1), CompactedError, 0);
      });

      it('reopens as a new log', async () => {
        log = await reopen(log);
        expect(observe(log)).toEqual(observeModel(newModel()));
      });
    });

    describe('append and read back', () => {
      it('returns the appended entries in order with their term, type and exact data', () => {
        const written: Entry[] = [
          entry(1, 1, bytes(1, 2, 3)),
          entry(2, 1, new Uint8Array(0), 'empty'),
          entry(3, 2, bytes(0, 255, 0, 128), 'membership'),
          entry(
            4,
            2,
            new Uint8Array(4096).map((_, i) => (i * 7) % 256),
          ),
        ];
        log.write({ entries: written.slice(0, 1) });
        log.write({ entries: written.slice(1) });
        expect(log.firstIndex()).toBe(1);
        expect(log.lastIndex()).toBe(4);
        expect(view(log.entries(1, 5))).toEqual(view(written));
        expect(view(log.entries(2, 4))).toEqual(view(written.slice(1, 3)));
        expect([0, 1, 2, 3, 4].map((i) => log.term(i))).toEqual([0, 1, 1, 2, 2]);
        expect(log.entries(3, 3)).toEqual([]);
      });

      it('an empty write or an empty entries array changes nothing', () => {
        log.write({ entries: run(1, 3, 1) });
        const before = observe(log);
        log.write({});
        log.write({ entries: [] });
        expect(observe(log)).toEqual(before);
      });

      it('reads ranges that end at lastIndex() + 1 and throws past it', () => {
        log.write({ entries: run(1, 10, 3) });
        expect(view(log.entries(10, 11))).toEqual(view([entry(10, 3)]));
        expectThrows(() => log.entries(5, 12), UnavailableError, 11);
        expectThrows(() => log.term(11), UnavailableError, 11);
      });
    });

    describe('entries(lo, hi, maxBytes)', () => {
      // Five entries of 10 bytes each.
      const ten = (i: number) => entry(i, 1, new Uint8Array(10).fill(i));
      beforeEach(() => {
        log.write({ entries: [1, 2, 3, 4, 5].map(ten) });
      });

      it('stops before the entry that would take the total data size past maxBytes', () => {
        expect(view(log.entries(1, 6, 25))).toEqual(view([ten(1), ten(2)]));
        expect(view(log.entries(2, 6, 29))).toEqual(view([ten(2), ten(3)]));
      });

      it('includes the entry that brings the total exactly to maxBytes', () => {
        expect(view(log.entries(1, 6, 30))).toEqual(view([ten(1), ten(2), ten(3)]));
      });

      it('always returns at least one entry when lo < hi, even over maxBytes', () => {
        expect(view(log.entries(3, 6, 0))).toEqual(view([ten(3)]));
        expect(view(log.entries(3, 6, 9))).toEqual(view([ten(3)]));
      });

      it('never goes past hi, whatever maxBytes allows', () => {
        expect(view(log.entries(2, 4, 1_000_000))).toEqual(view([ten(2), ten(3)]));
      });

      it('counts empty data as zero bytes', () => {
        log.write({
          entries: [entry(6, 1, new Uint8Array(0), 'empty'), entry(7, 1, new Uint8Array(0), 'empty')],
        });
        expect(log.entries(5, 8, 10).map((e) => e.index)).toEqual([5, 6, 7]);
      });
    });

    describe('membershipEntries(lo, hi), where provided', () => {
      it('returns exactly the membership entries of the range, in order, also after truncation and compaction', () => {
        if (!log.membershipEntries) {
          expect(log.membershipEntries).toBeUndefined();
          return;
        }
        const types: EntryType[] = ['command', 'membership', 'empty', 'membership', 'command', 'membership'];
        log.write({ entries: types.map((type, i) => entry(i + 1, 1, bytes(i), type)) });
        const expected = (lo: number, hi: number) =>
          view(log.entries(lo, hi).filter((e) => e.type === 'membership'));
        expect(view(log.membershipEntries(1, 7))).toEqual(expected(1, 7));
        expect(view(log.membershipEntries(3, 6))).toEqual(expected(3, 6));
        expect(log.membershipEntries(3, 3)).toEqual([]);
        expectThrows(() => log.membershipEntries!(1, 8), UnavailableError, 7);
        log.write({ truncateFrom: 6, compact: { index: 2, term: 1 } });
        expect(view(log.membershipEntries(3, 6))).toEqual(expected(3, 6));
        expect(log.membershipEntries(3, 6).map((e) => e.index)).toEqual([4]);
        expectThrows(() => log.membershipEntries!(2, 6), CompactedError, 2);
      });
    });

    describe('truncation of a conflicting suffix', () => {
      it('deletes entries >= truncateFrom, then appends the new suffix in the same write', () => {
        log.write({ entries: run(1, 6, 1) });
        log.write({ truncateFrom: 4, entries: run(4, 5, 2) });
        expect(log.lastIndex()).toBe(5);
        expect(view(log.entries(1, 6))).toEqual(view([...run(1, 3, 1), ...run(4, 5, 2)]));
        expectThrows(() => log.term(6), UnavailableError, 6);
      });

      it('truncation alone leaves lastIndex() = truncateFrom - 1', () => {
        log.write({ entries: run(1, 6, 1) });
        log.write({ truncateFrom: 3 });
        expect(log.lastIndex()).toBe(2);
        expect(view(log.entries(1, 3))).toEqual(view(run(1, 2, 1)));
        log.write({ entries: run(3, 4, 3) });
        expect(view(log.entries(1, 5))).toEqual(view([...run(1, 2, 1), ...run(3, 4, 3)]));
      });

      it('truncation from firstIndex() empties the log; past the end it deletes nothing', () => {
        log.write({ entries: run(1, 4, 1) });
        log.write({ truncateFrom: 9 });
        expect(log.lastIndex()).toBe(4);
        log.write({ truncateFrom: 1 });
        expect(log.firstIndex()).toBe(1);
        expect(log.lastIndex()).toBe(0);
        expect(log.term(0)).toBe(0);
        log.write({ entries: run(1, 2, 5) });
        expect(view(log.entries(1, 3))).toEqual(view(run(1, 2, 5)));
      });
    });

    describe('compaction', () => {
      it('deletes entries <= compact.index and keeps the tail; term() answers at the compaction point', () => {
        log.write({ entries: [...run(1, 5, 1), ...run(6, 10, 2)] });
        log.write({ compact: { index: 6, term: 2 } });
        expect(log.firstIndex()).toBe(7);
        expect(log.lastIndex()).toBe(10);
        expect(log.term(6)).toBe(2);
        expect(view(log.entries(7, 11))).toEqual(view(run(7, 10, 2)));
        expectThrows(() => log.term(5), CompactedError, 5);
        expectThrows(() => log.entries(6, 8), CompactedError, 6);
        expectThrows(() => log.entries(1, 11), CompactedError, 1);
        log.write({ entries: run(11, 12, 2) });
        expect(view(log.entries(7, 13))).toEqual(view(run(7, 12, 2)));
      });

      it('compaction at lastIndex() leaves an empty log there', () => {
        log.write({ entries: run(1, 5, 1) });
        log.write({ compact: { index: 5, term: 1 } });
        expect(log.firstIndex()).toBe(6);
        expect(log.lastIndex()).toBe(5);
        expect(log.term(5)).toBe(1);
        expect(log.entries(6, 6)).toEqual([]);
        expectThrows(() => log.term(6), UnavailableError, 6);
        expectThrows(() => log.term(4), CompactedError, 4);
      });

      it('compaction past lastIndex() leaves an empty log at compact.index with compact.term', () => {
        log.write({ entries: run(1, 3, 1) });
        log.write({ compact: { index: 8, term: 4 } });
        expect(log.firstIndex()).toBe(9);
        expect(log.lastIndex()).toBe(8);
        expect(log.term(8)).toBe(4);
        expectThrows(() => log.term(7), CompactedError, 7);
        log.write({ entries: run(9, 10, 4) });
        expect(view(log.entries(9, 11))).toEqual(view(run(9, 10, 4)));
      });

      it('compacts, then appends after the kept tail in one write', () => {
        log.write({ entries: run(1, 6, 1) });
        log.write({ compact: { index: 3, term: 1 }, entries: run(7, 8, 2) });
        expect(log.firstIndex()).toBe(4);
        expect(view(log.entries(4, 9))).toEqual(view([...run(4, 6, 1), ...run(7, 8, 2)]));
      });
    });

    describe('the write order: hardState, snapshot, truncateFrom, compact, entries', () => {
      it('truncates before it compacts: a compaction past the truncated end leaves an empty log', () => {
        // Were compact applied first, entries 8..10 would survive it.
        log.write({ entries: run(1, 10, 1) });
        log.write({ truncateFrom: 5, compact: { index: 7, term: 3 } });
        expect(log.firstIndex()).toBe(8);
        expect(log.lastIndex()).toBe(7);
        expect(log.term(7)).toBe(3);
        log.write({ entries: run(8, 9, 3) });
        expect(view(log.entries(8, 10))).toEqual(view(run(8, 9, 3)));
      });

      it('truncates, compacts a kept prefix, then appends: all in one write', () => {
        log.write({ entries: run(1, 10, 1) });
        log.write({
          hardState: { term: 2, vote: 3, commit: 4 },
          truncateFrom: 7,
          compact: { index: 4, term: 1 },
          entries: run(7, 9, 2),
        });
        expect(log.hardState()).toEqual({ term: 2, vote: 3, commit: 4 });
        expect(log.firstIndex()).toBe(5);
        expect(log.lastIndex()).toBe(9);
        expect(view(log.entries(5, 10))).toEqual(view([...run(5, 6, 1), ...run(7, 9, 2)]));
      });

      it('installs a snapshot: { snapshot, truncateFrom: firstIndex, compact } leaves an empty log at its index', async () => {
        log.write({ entries: run(1, 12, 1) });
        const first = log.firstIndex();
        const snap = snapshot(20, 3, bytes(9, 8, 7), membership([1, 2, 3], [4], []));
        log.write({
          hardState: { term: 3, vote: null, commit: 20 },
          snapshot: snap,
          truncateFrom: first,
          compact: { index: 20, term: 3 },
        });
        expect(log.firstIndex()).toBe(21);
        expect(log.lastIndex()).toBe(20);
        expect(log.term(20)).toBe(3);
        expectThrows(() => log.term(19), CompactedError, 19);
        expectThrows(() => log.term(21), UnavailableError, 21);
        expect(log.snapshotMetadata()).toEqual(snap.metadata);
        log.write({ entries: run(21, 23, 3) });
        expect(view(log.entries(21, 24))).toEqual(view(run(21, 23, 3)));
        log = await reopen(log);
        expect(log.firstIndex()).toBe(21);
        expect(log.term(20)).toBe(3);
        expect(view(log.entries(21, 24))).toEqual(view(run(21, 23, 3)));
      });

      it('installs a snapshot behind lastIndex(): the conflicting log is discarded all the same', () => {
        log.write({ entries: run(1, 12, 1) });
        log.write({
          snapshot: snapshot(5, 2, bytes(1)),
          truncateFrom: log.firstIndex(),
          compact: { index: 5, term: 2 },
          entries: run(6, 7, 2),
        });
        expect(log.firstIndex()).toBe(6);
        expect(log.lastIndex()).toBe(7);
        expect(log.term(5)).toBe(2);
        expect(view(log.entries(6, 8))).toEqual(view(run(6, 7, 2)));
      });
    });

    describe('snapshots', () => {
      it('round-trips metadata (membership included) and the exact data bytes', () => {
        const data = new Uint8Array(200_000).map((_, i) => (i * 31 + 7) % 256);
        log.write({ entries: run(1, 3, 2) });
        log.write({ snapshot: snapshot(3, 2, data, membership([1, 2, 5], [7, 8], [1, 2, 3])) });
        expect(log.snapshotMetadata()).toEqual({
          index: 3,
          term: 2,
          membership: membership([1, 2, 5], [7, 8], [1, 2, 3]),
        });
        const stored = log.snapshot()!;
        expect(stored.metadata).toEqual(log.snapshotMetadata());
        expect(stored.data.length).toBe(data.length);
        expect(hex(stored.data)).toBe(hex(data));
      });

      it("round-trips the membership's member info (addresses and metadata)", async () => {
        const withInfo: Membership = {
          ...membership([1, 2, 4], [5]),
          info: { 4: { address: '10.0.0.4:7001', metadata: 'http://10.0.0.4:8001' }, 5: { address: 'n5:1' } },
        };
        log.write({ entries: run(1, 2, 1) });
        log.write({ snapshot: snapshot(2, 1, new Uint8Array([1]), withInfo) });
        expect(log.snapshotMetadata()?.membership).toEqual(withInfo);
        log = await reopen(log);
        expect(log.snapshot()?.metadata.membership).toEqual(withInfo);
      });

      it('stores a snapshot without touching the entries, and a later one replaces it', () => {
        log.write({ entries: run(1, 6, 1) });
        log.write({ snapshot: snapshot(4, 1, bytes(1, 2)) });
        expect(log.firstIndex()).toBe(1);
        expect(log.lastIndex()).toBe(6);
        expect(log.snapshotMetadata()?.index).toBe(4);
        log.write({ snapshot: snapshot(6, 1, new Uint8Array(0), membership([2], [], [])) });
        expect(log.snapshotMetadata()).toEqual({ index: 6, term: 1, membership: membership([2]) });
        expect(log.snapshot()!.data.length).toBe(0);
      });

      it('takes a snapshot and compacts behind it keeping a tail', () => {
        log.write({ entries: run(1, 10, 2) });
        log.write({ snapshot: snapshot(8, 2, bytes(42)), compact: { index: 5, term: 2 } });
        expect(log.snapshotMetadata()?.index).toBe(8);
        expect(log.firstIndex()).toBe(6);
        expect(log.lastIndex()).toBe(10);
        expect(view(log.entries(6, 11))).toEqual(view(run(6, 10, 2)));
      });
    });

    describe('hard state', () => {
      it('round-trips, including a null vote, and survives writes without a hard state', () => {
        log.write({ hardState: { term: 3, vote: 2, commit: 0 } });
        expect(log.hardState()).toEqual({ term: 3, vote: 2, commit: 0 });
        log.write({ entries: run(1, 4, 3) });
        expect(log.hardState()).toEqual({ term: 3, vote: 2, commit: 0 });
        log.write({ hardState: { term: 4, vote: null, commit: 3 } });
        expect(log.hardState()).toEqual({ term: 4, vote: null, commit: 3 });
        log.write({ hardState: { term: 4, vote: 1, commit: 4 } });
        expect(log.hardState()).toEqual({ term: 4, vote: 1, commit: 4 });
      });
    });

    describe('a rejected write changes nothing (atomic)', () => {
      const cases: Array<[string, (last: number) => Entry[]]> = [
        ['a gap after lastIndex()', (last) => run(last + 2, last + 3, 2)],
        ['an entry at lastIndex()', (last) => run(last, last + 1, 2)],
        ['a hole inside the batch', (last) => [entry(last + 1, 2), entry(last + 3, 2)]],
        ['a batch in reverse order', (last) => [entry(last + 2, 2), entry(last + 1, 2)]],
      ];
      for (const [what, make] of cases) {
        it(`rejects ${what} with StorageError, hard state and snapshot included`, async () => {
          log.write({
            hardState: { term: 1, vote: 1, commit: 2 },
            snapshot: snapshot(2, 1, bytes(5)),
            entries: run(1, 5, 1),
          });
          const before = observe(log);
          expectStorageError(() =>
            log.write({
              hardState: { term: 9, vote: 9, commit: 5 },
              snapshot: snapshot(5, 1, bytes(6)),
              entries: make(log.lastIndex()),
            }),
          );
          expect(observe(log)).toEqual(before);
          log = await reopen(log);
          expect(observe(log)).toEqual(before);
          log.write({ entries: run(6, 6, 1) });
          expect(log.lastIndex()).toBe(6);
        });
      }

      it('rejects an append that does not follow a truncation, and keeps the untruncated log', () => {
        log.write({ entries: run(1, 8, 1) });
        const before = observe(log);
        expectStorageError(() => log.write({ truncateFrom: 4, entries: run(5, 6, 2) }));
        expect(observe(log)).toEqual(before);
      });

      it('rejects an append that does not follow a compaction, and keeps the uncompacted log', () => {
        log.write({ entries: run(1, 4, 1) });
        const before = observe(log);
        expectStorageError(() => log.write({ compact: { index: 9, term: 2 }, entries: run(5, 5, 2) }));
        expect(observe(log)).toEqual(before);
      });
    });

    describe('persistence across reopen', () => {
      it('keeps hard state, entries, compaction point and snapshot', async () => {
        const data = new Uint8Array(70_000).map((_, i) => i % 251);
        log.write({ hardState: { term: 2, vote: 1, commit: 0 }, entries: run(1, 10, 2) });
        log.write({
          hardState: { term: 3, vote: null, commit: 8 },
          snapshot: snapshot(8, 2, data, membership([1, 2], [3], [1, 2, 4])),
          compact: { index: 6, term: 2 },
          truncateFrom: 10,
          entries: [entry(10, 3, bytes(1, 2, 3), 'membership'), entry(11, 3, new Uint8Array(0), 'empty')],
        });
        const before = observe(log);
        log = await reopen(log);
        expect(observe(log)).toEqual(before);
        expect(log.hardState()).toEqual({ term: 3, vote: null, commit: 8 });
        expect(hex(log.snapshot()!.data)).toBe(hex(data));
        expectThrows(() => log.term(5), CompactedError, 5);
        log.write({ entries: run(12, 12, 3) });
        log = await reopen(log);
        expect(log.lastIndex()).toBe(12);
        expect(observe(log).entries.at(-1)).toEqual(view([entry(12, 3)])[0]);
      });

      it('keeps exactly what was written last, also when a write goes back (a shorter log, a lower term, another vote)', async () => {
        // A store keeps what it is handed. Raft only shortens an uncommitted suffix and never
        // lowers its term, but the contract allows both, and a store that guards against
        // losing writes (a durable log that remembers how far it got) must not take them
        // for damage when it reopens.
        log.write({ hardState: { term: 5, vote: 2, commit: 0 }, entries: run(1, 20, 5) });
        log.sync?.();
        log.write({ truncateFrom: 8, entries: run(8, 9, 6), hardState: { term: 6, vote: null, commit: 0 } });
        log = await reopen(log);
        expect([log.lastIndex(), log.term(9), log.term(7)]).toEqual([9, 6, 5]);
        expect(log.hardState()).toEqual({ term: 6, vote: null, commit: 0 });
        log.write({ hardState: { term: 6, vote: 3, commit: 0 } });
        log.sync?.();
        log.write({ hardState: { term: 6, vote: 1, commit: 0 } });
        log.write({ hardState: { term: 4, vote: null, commit: 0 } });
        log.write({ truncateFrom: 3 });
        log = await reopen(log);
        expect(log.hardState()).toEqual({ term: 4, vote: null, commit: 0 });
        expect(log.lastIndex()).toBe(2);
        log.write({
          snapshot: snapshot(30, 7, bytes(9)),
          truncateFrom: log.firstIndex(),
          compact: { index: 30, term: 7 },
        });
        log = await reopen(log);
        expect([log.firstIndex(), log.lastIndex(), log.term(30)]).toEqual([31, 30, 7]);
      });

      it('keeps an empty log left by a compaction past its end', async () => {
        log.write({ entries: run(1, 3, 1) });
        log.write({ compact: { index: 7, term: 2 }, hardState: { term: 2, vote: 3, commit: 7 } });
        log = await reopen(log);
        expect(log.firstIndex()).toBe(8);
        expect(log.lastIndex()).toBe(7);
        expect(log.term(7)).toBe(2);
        expect(log.hardState()).toEqual({ term: 2, vote: 3, commit: 7 });
      });
    });

    it('sync(), where provided, keeps every earlier write', () => {
      log.write({ entries: run(1, 3, 1), hardState: { term: 1, vote: 1, commit: 1 } });
      log.sync?.();
      log.write({ entries: run(4, 4, 1) });
      log.sync?.();
      log.sync?.();
      expect(log.lastIndex()).toBe(4);
      expect(log.hardState()).toEqual({ term: 1, vote: 1, commit: 1 });
    });

    it(
      'matches a reference model under random sequences of writes, reads and reopens (fast-check)',
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: modelMaxWrites }), async (ops) => {
            let l = await open();
            try {
              const model = newModel();
              for (const op of ops) {
                if (op.kind === 'reopen') {
                  l = await reopen(l);
                } else if (op.kind === 'read') {
                  const first = model.offset + 1;
                  const last = modelLast(model);
                  const lo = pick(first, last + 1, op.lo);
                  const hi = pick(lo, last + 1, op.hi);
                  // maxBytes lands on, just below or just above an entry boundary.
                  const upTo = pick(lo, hi, op.upTo);
                  const sizes = model.entries.filter((e) => e.index >= lo && e.index < upTo);
                  const maxBytes = Math.max(0, sizes.reduce((n, e) => n + e.data.length, 0) + op.slack);
                  expect(view(l.entries(lo, hi, maxBytes))).toEqual(
                    view(modelEntries(model, lo, hi, maxBytes)),
                  );
                  expect(view(l.entries(lo, hi))).toEqual(view(modelEntries(model, lo, hi, Infinity)));
                  continue;
                } else if (op.kind === 'bad-append') {
                  expectStorageError(() => l.write(badWrite(model, op)));
                } else {
                  const write = toWrite(model, op);
                  if (write === undefined) continue;
                  l.write(write);
                  applyToModel(model, write);
                }
                const seen = observe(l);
                expect(seen).toEqual(observeModel(model));
                expectThrows(() => l.term(seen.lastIndex + 1), UnavailableError, seen.lastIndex + 1);
                expectThrows(() => l.term(seen.firstIndex - 2), CompactedError, seen.firstIndex - 2);
              }
              l = await reopen(l);
              expect(observe(l)).toEqual(observeModel(model));
            } finally {
              l.close?.();
            }
          }),
          { numRuns: modelRuns },
        );
      },
      options.modelTimeoutMs ?? 60_000,
    );
  });
}
