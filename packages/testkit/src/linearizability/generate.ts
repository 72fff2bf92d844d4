/**
 * Generates key-value histories from a real, atomic key-value map driven by concurrent
 * clients, so every generated history is linearizable by construction (each operation takes
 * effect at one instant between its call and its return). For tests and benchmarks of the
 * checker; a mutation of such a history is the usual way to get a non-linearizable one.
 */
import { Prng } from '../prng.js';
import { HistoryRecorder, type KvInput, type KvOperation, type KvOutput } from './history.js';

export interface GenerateKvHistoryOptions {
  /** PRNG seed. Default 1. */
  readonly seed?: number;
  /** Number of operations. Default 1000. */
  readonly operations?: number;
  /** Number of keys (`k0`, `k1`, ...). Default 10. */
  readonly keys?: number;
  /** Number of concurrent clients, each with at most one operation in flight. Default 10. */
  readonly clients?: number;
  /** Probability that an operation times out (outcome unknown; it may or may not take effect). Default 0.02. */
  readonly unknownRate?: number;
  /** Probability that an operation fails without taking effect. Default 0.02. */
  readonly failRate?: number;
}

interface InFlight {
  id: number;
  input: KvInput;
  output?: KvOutput;
  applied: boolean;
}

/** A linearizable history of `operations` put/get/cas operations from concurrent clients. */
export function generateKvHistory(options: GenerateKvHistoryOptions = {}): KvOperation[] {
  const prng = new Prng(options.seed ?? 1);
  const total = options.operations ?? 1000;
  const keys = options.keys ?? 10;
  const clients = options.clients ?? 10;
  const unknownRate = options.unknownRate ?? 0.02;
  const failRate = options.failRate ?? 0.02;
  const store = new Map<string, string>();
  const recorder = new HistoryRecorder<KvInput, KvOutput>();
  const inflight: (InFlight | null)[] = new Array(clients).fill(null);
  let invoked = 0;
  let active = 0;
  while (invoked < total || active > 0) {
    const c = prng.int(clients);
    const f = inflight[c];
    if (f === null || f === undefined) {
      if (invoked >= total) continue;
      const input = randomInput(prng, keys, store, `v${invoked}`);
      inflight[c] = { id: recorder.invoke(c, input), input, applied: false };
      invoked++;
      active++;
    } else if (!f.applied && prng.chance(failRate)) {
      recorder.fail(f.id);
      inflight[c] = null;
      active--;
    } else if (prng.chance(unknownRate)) {
      // Timed out: half the time the effect happens anyway, later or never.
      if (!f.applied && prng.chance(0.5)) apply(store, f);
      recorder.timeout(f.id);
      inflight[c] = null;
      active--;
    } else if (!f.applied) {
      apply(store, f);
    } else {
      recorder.ok(f.id, f.output!);
      inflight[c] = null;
      active--;
    }
  }
  return recorder.operations();
}

function randomInput(prng: Prng, keys: number, store: Map<string, string>, value: string): KvInput {
  const key = `k${prng.int(keys)}`;
  const r = prng.float();
  if (r < 0.4) return { kind: 'put', key, value };
  if (r < 0.8) return { kind: 'get', key };
  // Half of the cas operations expect the current value (and will likely swap).
  const expected = prng.chance(0.5)
    ? (store.get(key) ?? null)
    : prng.chance(0.5)
      ? null
      : `v${prng.int(1000)}`;
  return { kind: 'cas', key, expected, value };
}

function apply(store: Map<string, string>, f: InFlight): void {
  const i = f.input;
  if (i.kind === 'put') {
    store.set(i.key, i.value);
    f.output = { kind: 'put' };
  } else if (i.kind === 'get') {
    f.output = { kind: 'get', value: store.get(i.key) ?? null };
  } else {
    const swapped = (store.get(i.key) ?? null) === i.expected;
    if (swapped) store.set(i.key, i.value);
    f.output = { kind: 'cas', swapped };
  }
  f.applied = true;
}
