/**
 * The testkit's own errors: `RaftError` subclasses with stable codes, like the core's.
 * `SimulationError` is misuse of the simulator API (stepping a crashed node, an unknown
 * scenario, a bad option); `ScriptError` is a malformed interaction script line.
 */
import { RaftError } from '@raft-io/core';

export type TestkitErrorCode = 'SIMULATION' | 'SCRIPT';

/** Misuse of the simulator (e.g. stepping a crashed node, an unknown scenario name). */
export class SimulationError extends RaftError {
  readonly testkitCode: TestkitErrorCode = 'SIMULATION';

  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** A malformed line in an interaction script; `line` is its 1-based number. */
export class ScriptError extends RaftError {
  readonly testkitCode: TestkitErrorCode = 'SCRIPT';

  constructor(
    readonly line: number,
    message: string,
  ) {
    super('INVALID_ARGUMENT', `script line ${line}: ${message}`);
  }
}
