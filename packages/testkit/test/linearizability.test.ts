/**
 * The linearizability checker on hand-worked histories (each with the reasoning that decides
 * its verdict), against a brute-force checker on small random histories, and on large
 * histories generated from a real atomic key-value map.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkKvHistory,
  generateKvHistory,
  type KvInput,
  type KvOperation,
  type KvOutput,
  kvModel,
} from '../src/linearizability/index.js';

let nextId = 0;
/** An operation on key `x` unless the input names another. */
function op(
  client: number,
  call: number,
  ret: number | 'unknown' | 'fail',
  input: KvInput,
  output?: KvOutput,
): KvOperation {
  const id = nextId++;
  if (ret === 'unknown')
    return { id, client, input, outcome: 'unknown', call, ret: Number.POSITIVE_INFINITY };
  if (ret === 'fail') return { id, client, input, outcome: 'fail', call, ret: call + 1 };
  return { id, client, input, output: output!, outcome: 'ok', call, ret };
}
const put = (key: string, value: string): KvInput => ({ kind: 'put', key, value });
const get = (key: string): KvInput => ({ kind: 'get', key });
const cas = (key: string, expected: string | null, value: string): KvInput => ({
  kind: 'cas',
  key,
  expected,
  value,
});
const PUT: KvOutput = { kind: 'put' };
const got = (value: string | null): KvOutput => ({ kind: 'get', value });
const swapped = (s: boolean): KvOutput => ({ kind: 'cas', swapped: s });

describe('hand-worked histories', () => {
  it('a sequential put then get of the same value is linearizable', () => {
    const r = checkKvHistory([op(0, 0, 1, put('x', 'a'), PUT), op(1, 2, 3, get('x'), got('a'))]);
    expect(r.verdict).toBe('linearizable');
  });

  it('a get that returns nil after a completed put is not linearizable', () => {
    // put(x,a) returned at 1; get invoked at 2 must see a.
    const r = checkKvHistory([op(0, 0, 1, put('x', 'a'), PUT), op(1, 2, 3, get('x'), got(null))]);
    expect(r.verdict).toBe('not-linearizable');
    expect(r.failure?.partition).toBe('x');
  });

  it('a get concurrent with a put may see either value', () => {
    // get [1,2] lies inside put [0,3]: it may be ordered before or after the put.
    expect(checkKvHistory([op(0, 0, 3, put('x', 'a'), PUT), op(1, 1, 2, get('x'), got('a'))]).ok).toBe(true);
    expect(checkKvHistory([op(0, 0, 3, put('x', 'a'), PUT), op(1, 1, 2, get('x'), got(null))]).ok).toBe(true);
  });

  it('reads may not go back in time: a then nil during one put is not linearizable', () => {
    // Both gets overlap the put, but once a read saw a, a later read cannot see nil.
    const r = checkKvHistory([
      op(0, 0, 5, put('x', 'a'), PUT),
      op(1, 1, 2, get('x'), got('a')),
      op(2, 3, 4, get('x'), got(null)),
    ]);
    expect(r.verdict).toBe('not-linearizable');
    expect(r.failure?.longestPrefix.length).toBeGreaterThan(0);
  });

  it('nil then a during one put is linearizable', () => {
    const r = checkKvHistory([
      op(0, 0, 5, put('x', 'a'), PUT),
      op(1, 1, 2, get('x'), got(null)),
      op(2, 3, 4, get('x'), got('a')),
    ]);
    expect(r.ok).toBe(true);
  });

  it('a timed-out put may take effect at any later time, or never', () => {
    const unknownPut = () => op(0, 0, 'unknown', put('x', 'a'));
    // Never took effect.
    expect(checkKvHistory([unknownPut(), op(1, 10, 11, get('x'), got(null))]).ok).toBe(true);
    // Took effect long after the client gave up.
    expect(
      checkKvHistory([unknownPut(), op(1, 10, 11, get('x'), got(null)), op(1, 12, 13, get('x'), got('a'))])
        .ok,
    ).toBe(true);
    // But it takes effect once: a then nil again is impossible.
    expect(
      checkKvHistory([unknownPut(), op(1, 10, 11, get('x'), got('a')), op(1, 12, 13, get('x'), got(null))])
        .ok,
    ).toBe(false);
  });

  it('a timed-out put cannot take effect before it was invoked', () => {
    const r = checkKvHistory([op(1, 0, 1, get('x'), got('a')), op(0, 2, 'unknown', put('x', 'a'))]);
    expect(r.verdict).toBe('not-linearizable');
  });

  it('a failed put never took effect', () => {
    const r = checkKvHistory([op(0, 0, 'fail', put('x', 'a')), op(1, 5, 6, get('x'), got('a'))]);
    expect(r.verdict).toBe('not-linearizable');
  });

  it('two compare-and-sets from the same value cannot both swap', () => {
    const base = () => op(0, 0, 1, put('x', 'a'), PUT);
    // Concurrent: only one of them can be first, and the second then sees b or c, not a.
    expect(
      checkKvHistory([
        base(),
        op(1, 2, 5, cas('x', 'a', 'b'), swapped(true)),
        op(2, 3, 4, cas('x', 'a', 'c'), swapped(true)),
      ]).verdict,
    ).toBe('not-linearizable');
    expect(
      checkKvHistory([
        base(),
        op(1, 2, 5, cas('x', 'a', 'b'), swapped(true)),
        op(2, 3, 4, cas('x', 'a', 'c'), swapped(false)),
      ]).verdict,
    ).toBe('linearizable');
  });

  it('a cas on an absent key expects nil', () => {
    expect(
      checkKvHistory([op(0, 0, 1, cas('x', null, 'a'), swapped(true)), op(0, 2, 3, get('x'), got('a'))]).ok,
    ).toBe(true);
    expect(checkKvHistory([op(0, 0, 1, cas('x', null, 'a'), swapped(false))]).ok).toBe(false);
  });

  it('a timed-out cas counts only if its expectation held when it took effect', () => {
    // cas(x, a, b) timed out; b shows up later: legal only because x was a after the put.
    const ops = [
      op(0, 0, 1, put('x', 'a'), PUT),
      op(1, 2, 'unknown', cas('x', 'a', 'b')),
      op(0, 3, 4, get('x'), got('b')),
    ];
    expect(checkKvHistory(ops).ok).toBe(true);
    const wrong = [
      op(0, 0, 1, put('x', 'z'), PUT),
      op(1, 2, 'unknown', cas('x', 'a', 'b')),
      op(0, 3, 4, get('x'), got('b')),
    ];
    expect(checkKvHistory(wrong).ok).toBe(false);
  });

  it('keys are independent: each key is its own register', () => {
    const ops = [
      op(0, 0, 1, put('x', 'a'), PUT),
      op(1, 2, 3, put('y', 'b'), PUT),
      op(0, 4, 5, get('y'), got('b')),
      op(1, 6, 7, get('x'), got('a')),
    ];
    const r = checkKvHistory(ops);
    expect(r.ok).toBe(true);
    expect(r.partitions).toBe(2);
    const bad = [...ops.slice(0, 3), op(1, 6, 7, get('x'), got('b'))];
    const rb = checkKvHistory(bad);
    expect(rb.ok).toBe(false);
    expect(rb.failure?.partition).toBe('x');
    expect(rb.failure?.stuck.map((o) => o.input.kind)).toContain('get');
  });

  it('the classic stale read: two clients, a write, then an old value', () => {
    // w1: put(x,1) [0,2]; w2: put(x,2) [3,5]; r: get [6,7] -> 1 (stale) is not linearizable.
    const ops = [
      op(0, 0, 2, put('x', '1'), PUT),
      op(0, 3, 5, put('x', '2'), PUT),
      op(1, 6, 7, get('x'), got('1')),
    ];
    expect(checkKvHistory(ops).ok).toBe(false);
    // If the read overlaps the second write, 1 is fine.
    const ok = [
      op(0, 0, 2, put('x', '1'), PUT),
      op(0, 3, 8, put('x', '2'), PUT),
      op(1, 6, 7, get('x'), got('1')),
    ];
    expect(checkKvHistory(ok).ok).toBe(true);
  });

  it('reports unknown when the step budget runs out', () => {
    const history = generateKvHistory({ seed: 3, operations: 400, keys: 1, clients: 20 });
    const r = checkKvHistory(history, { maxSteps: 10 });
    expect(r.verdict).toBe('unknown');
    expect(r.undecided).toEqual(['k0']);
  });
});

/** Brute force: some order of the kept operations respects real time and the model. */
function bruteForce(history: readonly KvOperation[]): boolean {
  const ops = history.filter((o) => o.outcome !== 'fail');
  const n = ops.length;
  const used = new Array<boolean>(n).fill(false);
  const states = new Map<string, string | null>();
  const search = (placed: number, optionalLeft: number): boolean => {
    // Every ok operation placed: the unknown ones left over may simply never happen.
    if (placed + optionalLeft === n) return true;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const o = ops[i]!;
      // Real time: o may go next only if no unplaced ok operation returned before o was called.
      const blocked = ops.some((p, j) => !used[j] && j !== i && p.outcome === 'ok' && p.ret < o.call);
      if (blocked) continue;
      const key = o.input.key;
      const before = states.has(key) ? states.get(key)! : null;
      const after = kvModel.step(before, o.input, o.outcome === 'ok' ? o.output : undefined);
      if (after === undefined) continue;
      used[i] = true;
      states.set(key, after);
      if (search(placed + 1, optionalLeft - (o.outcome === 'unknown' ? 1 : 0))) return true;
      states.set(key, before);
      used[i] = false;
    }
    return false;
  };
  return search(0, ops.filter((o) => o.outcome === 'unknown').length);
}

const arbHistory = fc
  .array(
    fc.record({
      kind: fc.constantFrom('put', 'get', 'cas'),
      key: fc.constantFrom('x', 'y'),
      value: fc.constantFrom('a', 'b'),
      expected: fc.constantFrom<string | null>(null, 'a', 'b'),
      got: fc.constantFrom<string | null>(null, 'a', 'b'),
      swapped: fc.boolean(),
      call: fc.integer({ min: 0, max: 20 }),
      len: fc.integer({ min: 1, max: 10 }),
      outcome: fc.constantFrom('ok', 'ok', 'ok', 'unknown', 'fail'),
    }),
    { maxLength: 6 },
  )
  .map((rows) =>
    rows.map((r, id): KvOperation => {
      // Distinct times: calls at even times, returns at odd ones.
      const call = 2 * (r.call * 8 + id);
      const ret = call + 2 * r.len + 1;
      const input: KvInput =
        r.kind === 'put'
          ? put(r.key, r.value)
          : r.kind === 'get'
            ? get(r.key)
            : cas(r.key, r.expected, r.value);
      const output: KvOutput = r.kind === 'put' ? PUT : r.kind === 'get' ? got(r.got) : swapped(r.swapped);
      if (r.outcome === 'ok') return { id, client: id, input, output, outcome: 'ok', call, ret };
      if (r.outcome === 'fail') return { id, client: id, input, outcome: 'fail', call, ret };
      return { id, client: id, input, outcome: 'unknown', call, ret: Number.POSITIVE_INFINITY };
    }),
  );

describe('against brute force', () => {
  it('agrees with an exhaustive search on small random histories', () => {
    fc.assert(
      fc.property(arbHistory, (history) => {
        expect(checkKvHistory(history).ok).toBe(bruteForce(history));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('generated histories', () => {
  it('every history from a real atomic map is linearizable', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: 8 }),
        (seed, clients) => {
          const history = generateKvHistory({ seed, operations: 200, keys: 3, clients });
          expect(checkKvHistory(history).verdict).toBe('linearizable');
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a get changed to a value never written makes the history non-linearizable', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const history = generateKvHistory({ seed, operations: 200, keys: 3, clients: 5 });
        const i = history.findIndex((o) => o.outcome === 'ok' && o.input.kind === 'get');
        if (i < 0) return;
        const broken = history.map((o, j) => (j === i ? { ...o, output: got('never-written') } : o));
        const r = checkKvHistory(broken);
        expect(r.verdict).toBe('not-linearizable');
        expect(r.failure?.partition).toBe(history[i]!.input.key);
      }),
      { numRuns: 50 },
    );
  });

  it('checks 10,000 operations over 100 keys', () => {
    const history = generateKvHistory({ seed: 7, operations: 10_000, keys: 100, clients: 20 });
    const start = performance.now();
    const r = checkKvHistory(history);
    const ms = performance.now() - start;
    expect(r.verdict).toBe('linearizable');
    expect(r.partitions).toBe(100);
    console.info(
      `linearizability: ${r.operations} operations, ${r.partitions} keys, ${r.steps} steps in ${ms.toFixed(0)} ms`,
    );
  });
});
