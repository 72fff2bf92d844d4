/**
 * `DurableMemoryLog`: reads see every write at once, a crash keeps exactly what was synced
 * (or a prefix of the unsynced writes), and its reads always agree with a plain `MemoryLog`
 * fed the same surviving writes.
 */
import { type Entry, type LogWrite, MemoryLog } from '@raft-io/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DurableMemoryLog } from '../src/durable-memory-log.js';

const enc = new TextEncoder();
const entry = (index: number, term: number, text = `e${index}`): Entry => ({
  index,
  term,
  type: 'command',
  data: enc.encode(text),
});

function dump(log: {
  firstIndex(): number;
  lastIndex(): number;
  term(i: number): number;
  hardState(): unknown;
  entries(lo: number, hi: number): Entry[];
}) {
  const first = log.firstIndex();
  const last = log.lastIndex();
  return {
    hardState: log.hardState(),
    first,
    last,
    compactTerm: log.term(first - 1),
    entries: last >= first ? log.entries(first, last + 1) : [],
  };
}

describe('DurableMemoryLog', () => {
  it('reads see a write before it is synced', () => {
    const log = new DurableMemoryLog();
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: [entry(1, 1)] });
    expect(log.lastIndex()).toBe(1);
    expect(log.hardState().term).toBe(1);
    expect(log.hasPending()).toBe(true);
  });

  it('a crash drops what was not synced', () => {
    const log = new DurableMemoryLog();
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: [entry(1, 1)] });
    log.sync();
    log.write({ hardState: { term: 2, vote: 2, commit: 1 }, entries: [entry(2, 2)] });
    log.crash();
    expect(log.lastIndex()).toBe(1);
    expect(log.hardState()).toEqual({ term: 1, vote: 1, commit: 0 });
    expect(log.hasPending()).toBe(false);
  });

  it('a crash may keep a prefix of the unsynced writes', () => {
    const log = new DurableMemoryLog();
    log.write({ entries: [entry(1, 1)] });
    log.write({ entries: [entry(2, 1)] });
    log.write({ entries: [entry(3, 1)] });
    log.crash(2);
    expect(log.lastIndex()).toBe(2);
  });

  it('survives a crash after compaction with the compaction point intact', () => {
    const log = new DurableMemoryLog();
    log.write({ entries: [entry(1, 1), entry(2, 1), entry(3, 2)] });
    log.write({ compact: { index: 2, term: 1 } });
    log.sync();
    log.crash();
    expect(log.firstIndex()).toBe(3);
    expect(log.term(2)).toBe(1);
    expect(log.entries(3, 4)[0]!.term).toBe(2);
  });

  it('tells its observer about every write', () => {
    const log = new DurableMemoryLog();
    const seen: LogWrite[] = [];
    log.observe((w) => seen.push(w));
    const w = { entries: [entry(1, 1)] };
    log.write(w);
    expect(seen).toEqual([w]);
  });

  it('agrees with a MemoryLog fed the surviving writes (property)', () => {
    type Cmd =
      | { kind: 'append'; n: number; term: number }
      | { kind: 'truncate'; back: number }
      | { kind: 'compact'; back: number }
      | { kind: 'sync' }
      | { kind: 'crash'; keep: number };
    const cmd = fc.oneof(
      fc.record({
        kind: fc.constant('append' as const),
        n: fc.integer({ min: 1, max: 3 }),
        term: fc.integer({ min: 1, max: 5 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), back: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('compact' as const), back: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('sync' as const) }),
      fc.record({ kind: fc.constant('crash' as const), keep: fc.integer({ min: 0, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 40 }), (cmds: Cmd[]) => {
        const log = new DurableMemoryLog();
        let model = new MemoryLog();
        let durableWrites: LogWrite[] = [];
        let pending: LogWrite[] = [];
        for (const c of cmds) {
          let w: LogWrite | null = null;
          const last = log.lastIndex();
          if (c.kind === 'append') {
            const lastTerm = log.term(last);
            const term = Math.max(lastTerm, c.term);
            w = { entries: Array.from({ length: c.n }, (_, i) => entry(last + 1 + i, term)) };
          } else if (c.kind === 'truncate') {
            const from = last + 1 - c.back;
            if (from > log.firstIndex()) w = { truncateFrom: from };
          } else if (c.kind === 'compact') {
            const index = last - c.back;
            if (index >= log.firstIndex()) w = { compact: { index, term: log.term(index) } };
          } else if (c.kind === 'sync') {
            log.sync();
            durableWrites = [...durableWrites, ...pending];
            pending = [];
          } else {
            log.crash(c.keep);
            durableWrites = [...durableWrites, ...pending.slice(0, c.keep)];
            pending = [];
            model = new MemoryLog();
            for (const d of durableWrites) model.write(d);
          }
          if (w) {
            log.write(w);
            model.write(w);
            pending.push(w);
          }
          expect(dump(log)).toEqual(dump(model));
        }
      }),
      { numRuns: 300 },
    );
  });
});
