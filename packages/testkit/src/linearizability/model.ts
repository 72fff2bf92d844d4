/**
 * Sequential specifications for the linearizability checker. A `Model` says how one
 * operation moves a state and which outputs are legal; `kvModel` is a register per key with
 * put, get and compare-and-set, partitioned by key (operations on different keys commute).
 */
import type { KvInput, KvOutput, Operation } from './history.js';

export interface Model<S, I, O> {
  /** The initial state of one partition. */
  init(): S;
  /**
   * Apply `input` to `state`. With `output` (an `ok` operation) return the next state if the
   * output is legal, else `undefined`; without it (an `unknown` outcome) any output is
   * legal: return the next state.
   */
  step(state: S, input: I, output: O | undefined): S | undefined;
  /** A string that is equal exactly when two states are equal (for memoization). */
  stateKey(state: S): string;
  /** Split a history into independent parts (default: one part). */
  partition?(operations: readonly Operation<I, O>[]): Map<string, Operation<I, O>[]>;
  /** Whether an operation with an `unknown` outcome can be dropped (a read with no effect). */
  readOnly?(input: I): boolean;
}

/** The state of one key: its value, or null when absent. */
export type KvState = string | null;

const ABSENT = '\u0000absent';

/** A register per key: put sets, get returns, cas sets iff the value equals `expected`. */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => null,
  step(state, input, output) {
    switch (input.kind) {
      case 'put':
        return input.value;
      case 'get':
        if (output === undefined) return state;
        return output.kind === 'get' && output.value === state ? state : undefined;
      case 'cas': {
        const swapped = state === input.expected;
        if (output !== undefined && (output.kind !== 'cas' || output.swapped !== swapped)) return undefined;
        return swapped ? input.value : state;
      }
    }
  },
  stateKey: (state) => (state === null ? ABSENT : state),
  partition(operations) {
    const parts = new Map<string, Operation<KvInput, KvOutput>[]>();
    for (const op of operations) {
      let part = parts.get(op.input.key);
      if (part === undefined) {
        part = [];
        parts.set(op.input.key, part);
      }
      part.push(op);
    }
    return parts;
  },
  readOnly: (input) => input.kind === 'get',
};
