/**
 * Client histories for the linearizability checker: each operation has an invocation time,
 * a response time and an outcome. `ok` completed with an output; `fail` definitely took no
 * effect (it is dropped before checking); `unknown` (a timeout) may or may not have taken
 * effect, so it is treated as completing at +infinity with any output.
 */

/** How an operation ended, as the client saw it. */
export type Outcome = 'ok' | 'fail' | 'unknown';

/** One operation of a history. Times are any totally ordered numbers (the sim uses a logical clock). */
export interface Operation<I, O> {
  /** Unique id within the history. */
  readonly id: number;
  /** The client (process) that ran it; a client runs one operation at a time. */
  readonly client: number;
  readonly input: I;
  /** The output when `outcome` is `ok`. */
  readonly output?: O;
  readonly outcome: Outcome;
  /** Invocation time. */
  readonly call: number;
  /** Response time; `Infinity` when the outcome is `unknown`. */
  readonly ret: number;
}

/** A key-value operation's input: put, get or compare-and-set on one key. */
export type KvInput =
  | { readonly kind: 'put'; readonly key: string; readonly value: string }
  | { readonly kind: 'get'; readonly key: string }
  | { readonly kind: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

/** A key-value operation's output: a get's value (null: absent) or whether a cas swapped. */
export type KvOutput =
  | { readonly kind: 'put' }
  | { readonly kind: 'get'; readonly value: string | null }
  | { readonly kind: 'cas'; readonly swapped: boolean };

export type KvOperation = Operation<KvInput, KvOutput>;

interface OpenOperation<I, O> {
  id: number;
  client: number;
  input: I;
  call: number;
  output?: O;
  outcome?: Outcome;
  ret?: number;
}

/**
 * Records a history as it happens. Times come from an internal logical clock that advances
 * at every record, so "A returned before B was invoked" is exact, never a tie.
 */
export class HistoryRecorder<I = KvInput, O = KvOutput> {
  private readonly ops: OpenOperation<I, O>[] = [];
  private clock = 0;

  /** Record an invocation by `client`; returns the operation id. */
  invoke(client: number, input: I): number {
    const id = this.ops.length;
    this.ops.push({ id, client, input, call: this.clock++ });
    return id;
  }

  /** The operation completed with `output`. */
  ok(id: number, output: O): void {
    const op = this.open(id);
    op.outcome = 'ok';
    op.output = output;
    op.ret = this.clock++;
  }

  /** The operation definitely took no effect. */
  fail(id: number): void {
    const op = this.open(id);
    op.outcome = 'fail';
    op.ret = this.clock++;
  }

  /** The client gave up waiting: the operation may or may not have taken effect. */
  timeout(id: number): void {
    const op = this.open(id);
    op.outcome = 'unknown';
    op.ret = Number.POSITIVE_INFINITY;
  }

  /** Whether `id` has not completed yet. */
  isOpen(id: number): boolean {
    return this.ops[id]?.outcome === undefined;
  }

  /** Number of operations recorded. */
  get size(): number {
    return this.ops.length;
  }

  /** The history; operations still open count as `unknown`. */
  operations(): Operation<I, O>[] {
    return this.ops.map((op) => {
      const outcome = op.outcome ?? 'unknown';
      const ret = outcome === 'unknown' ? Number.POSITIVE_INFINITY : op.ret!;
      return op.output === undefined
        ? { id: op.id, client: op.client, input: op.input, outcome, call: op.call, ret }
        : { id: op.id, client: op.client, input: op.input, output: op.output, outcome, call: op.call, ret };
    });
  }

  private open(id: number): OpenOperation<I, O> {
    const op = this.ops[id];
    if (op === undefined) throw new RangeError(`unknown operation ${id}`);
    if (op.outcome !== undefined) throw new RangeError(`operation ${id} already completed (${op.outcome})`);
    return op;
  }
}

/** A one-line rendering of a KV operation, for failure reports. */
export function describeKvOperation(op: KvOperation): string {
  const i = op.input;
  const call =
    i.kind === 'put'
      ? `put(${i.key}, ${i.value})`
      : i.kind === 'get'
        ? `get(${i.key})`
        : `cas(${i.key}, ${i.expected ?? 'nil'}, ${i.value})`;
  let result: string;
  if (op.outcome !== 'ok' || op.output === undefined) result = op.outcome;
  else if (op.output.kind === 'get') result = `-> ${op.output.value ?? 'nil'}`;
  else if (op.output.kind === 'cas') result = `-> ${op.output.swapped ? 'swapped' : 'not swapped'}`;
  else result = '-> ok';
  const ret = op.ret === Number.POSITIVE_INFINITY ? '∞' : String(op.ret);
  return `#${op.id} client ${op.client} [${op.call}, ${ret}] ${call} ${result}`;
}
