/**
 * The linearizability checker: Wing & Gong's search with Lowe's just-in-time refinements
 * and memoization of (linearized-set bitset, state), as Porcupine does, on each partition
 * of the history (per key for `kvModel`).
 *
 * The history becomes a doubly linked list of call and return events in time order. The
 * search walks it: at a call it tries to linearize that operation now (the model accepts
 * its output from the current state, and the (set, state) pair was not explored before);
 * at a return whose operation is not yet linearized it backtracks. `fail` operations took no
 * effect and are dropped; `unknown` ones return at +infinity, so the search may place them
 * anywhere after their call or never (read-only unknown operations are dropped outright).
 */
import { Bitset } from './bitset.js';
import type { KvInput, KvOutput, Operation } from './history.js';
import { kvModel, type Model } from './model.js';

export interface LinearizabilityOptions {
  /**
   * Give up on a partition after this many search steps and report `unknown`.
   * Default 10,000,000 steps (a few seconds).
   */
  readonly maxSteps?: number;
}

/** Why a partition is not linearizable. */
export interface LinearizabilityFailure<I, O> {
  /** The partition (for `kvModel`, the key). */
  readonly partition: string;
  /** The partition's checked operations (fail dropped), in call order. */
  readonly operations: readonly Operation<I, O>[];
  /** The longest sequence of operations the search managed to linearize, in order. */
  readonly longestPrefix: readonly Operation<I, O>[];
  /**
   * Operations that had returned by the point the longest prefix got stuck but that no
   * extension could linearize: the ones to look at first.
   */
  readonly stuck: readonly Operation<I, O>[];
}

export interface LinearizabilityResult<I, O> {
  /** `linearizable`, `not-linearizable`, or `unknown` when the step budget ran out. */
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  readonly ok: boolean;
  /** Operations checked (after dropping failed ones and read-only unknown ones). */
  readonly operations: number;
  readonly partitions: number;
  /** Search steps taken over all partitions. */
  readonly steps: number;
  /** The first failing partition, when not linearizable. */
  readonly failure?: LinearizabilityFailure<I, O>;
  /** Partitions whose search ran out of budget. */
  readonly undecided: readonly string[];
}

interface Node {
  /** Index of the operation in the partition, or -1 for the head sentinel. */
  readonly op: number;
  readonly isCall: boolean;
  /** For a call: its return node. */
  match: Node | null;
  prev: Node | null;
  next: Node | null;
}

/** Check `history` against `model`. */
export function checkLinearizability<S, I, O>(
  history: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  options: LinearizabilityOptions = {},
): LinearizabilityResult<I, O> {
  const maxSteps = options.maxSteps ?? 10_000_000;
  const kept = history.filter(
    (op) => op.outcome !== 'fail' && !(op.outcome === 'unknown' && model.readOnly?.(op.input) === true),
  );
  const parts = model.partition ? model.partition(kept) : new Map([['', [...kept]]]);
  let steps = 0;
  const undecided: string[] = [];
  let failure: LinearizabilityFailure<I, O> | undefined;
  // Check small partitions first: a failure is found and explained sooner.
  const ordered = [...parts.entries()].sort((a, b) => a[1].length - b[1].length || (a[0] < b[0] ? -1 : 1));
  for (const [name, ops] of ordered) {
    const result = checkPartition(ops, model, maxSteps);
    steps += result.steps;
    if (result.verdict === 'unknown') undecided.push(name);
    else if (result.verdict === 'not-linearizable') {
      failure = {
        partition: name,
        operations: result.ops,
        longestPrefix: result.longest,
        stuck: result.stuck,
      };
      break;
    }
  }
  const verdict = failure ? 'not-linearizable' : undecided.length > 0 ? 'unknown' : 'linearizable';
  return {
    verdict,
    ok: verdict === 'linearizable',
    operations: kept.length,
    partitions: parts.size,
    steps,
    undecided,
    ...(failure ? { failure } : {}),
  };
}

interface PartitionResult<I, O> {
  verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  steps: number;
  ops: Operation<I, O>[];
  longest: Operation<I, O>[];
  stuck: Operation<I, O>[];
}

function checkPartition<S, I, O>(
  input: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  maxSteps: number,
): PartitionResult<I, O> {
  const ops = [...input].sort((a, b) => a.call - b.call || a.id - b.id);
  const n = ops.length;
  // Build the event list: calls and returns by time; at equal times calls go first, which
  // treats the two operations as concurrent (the permissive reading of a tie).
  const events: { time: number; isCall: boolean; op: number }[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    events.push({ time: op.call, isCall: true, op: i });
    events.push({ time: op.outcome === 'unknown' ? Number.POSITIVE_INFINITY : op.ret, isCall: false, op: i });
  }
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const head: Node = { op: -1, isCall: false, match: null, prev: null, next: null };
  const calls = new Map<number, Node>();
  let tail = head;
  for (const e of events) {
    const node: Node = { op: e.op, isCall: e.isCall, match: null, prev: tail, next: null };
    tail.next = node;
    tail = node;
    if (e.isCall) calls.set(e.op, node);
    else calls.get(e.op)!.match = node;
  }
  const finite = new Uint8Array(n);
  let remainingFinite = 0;
  for (let i = 0; i < n; i++) {
    if (ops[i]!.outcome === 'ok') {
      finite[i] = 1;
      remainingFinite++;
    }
  }

  const lift = (call: Node): void => {
    call.prev!.next = call.next;
    if (call.next) call.next.prev = call.prev;
    const ret = call.match!;
    ret.prev!.next = ret.next;
    if (ret.next) ret.next.prev = ret.prev;
  };
  const unlift = (call: Node): void => {
    const ret = call.match!;
    ret.prev!.next = ret;
    if (ret.next) ret.next.prev = ret;
    call.prev!.next = call;
    if (call.next) call.next.prev = call;
  };

  const cache = new Map<number, { bits: Bitset; key: string }[]>();
  const stack: { call: Node; state: S }[] = [];
  const linearized = new Bitset(n);
  let state = model.init();
  let entry = head.next;
  let steps = 0;
  let longest: number[] = [];

  while (remainingFinite > 0 && entry !== null) {
    if (++steps > maxSteps) return { verdict: 'unknown', steps, ops, longest: [], stuck: [] };
    if (entry.isCall) {
      const op = ops[entry.op]!;
      const next = model.step(state, op.input, op.outcome === 'ok' ? op.output : undefined);
      if (next !== undefined) {
        linearized.set(entry.op);
        const key = model.stateKey(next);
        const h = (linearized.hash() ^ hashKey(key)) >>> 0;
        let bucket = cache.get(h);
        const seen = bucket?.some((c) => c.key === key && c.bits.equals(linearized)) ?? false;
        if (!seen) {
          if (bucket === undefined) {
            bucket = [];
            cache.set(h, bucket);
          }
          bucket.push({ bits: linearized.clone(), key });
          stack.push({ call: entry, state });
          state = next;
          if (finite[entry.op]) remainingFinite--;
          lift(entry);
          if (stack.length > longest.length) longest = stack.map((s) => s.call.op);
          entry = head.next;
          continue;
        }
        linearized.clear(entry.op);
      }
      entry = entry.next;
    } else {
      // A return of an operation not linearized yet: this branch is dead, backtrack.
      const top = stack.pop();
      if (top === undefined) break;
      state = top.state;
      linearized.clear(top.call.op);
      if (finite[top.call.op]) remainingFinite++;
      unlift(top.call);
      entry = top.call.next;
    }
  }
  if (remainingFinite === 0) return { verdict: 'linearizable', steps, ops, longest: [], stuck: [] };
  return {
    verdict: 'not-linearizable',
    steps,
    ops,
    longest: longest.map((i) => ops[i]!),
    stuck: stuckReport(ops, longest),
  };
}

/** The operations that returned before the first op not in `prefix` was forced: not linearized, finite. */
function stuckReport<I, O>(ops: readonly Operation<I, O>[], prefix: readonly number[]): Operation<I, O>[] {
  const inPrefix = new Set(prefix);
  const rest = ops.filter((_, i) => !inPrefix.has(i) && ops[i]!.outcome === 'ok');
  if (rest.length === 0) return [];
  const firstReturn = Math.min(...rest.map((op) => op.ret));
  // Everything not linearized that was invoked before the earliest pending return: one of
  // them had to come next and none could.
  return rest.filter((op) => op.call <= firstReturn).slice(0, 10);
}

function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Check a key-value history against `kvModel` (per-key registers). */
export function checkKvHistory(
  history: readonly Operation<KvInput, KvOutput>[],
  options: LinearizabilityOptions = {},
): LinearizabilityResult<KvInput, KvOutput> {
  return checkLinearizability(history, kvModel, options);
}
