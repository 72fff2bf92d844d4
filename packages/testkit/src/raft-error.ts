/**
 * Recognizing a `RaftError` from any build of the core. The simulator, the interaction
 * driver and the model checker may drive another copy of @raft-io/core (a patched build, a
 * fork given with `--core`), whose error classes are not this package's: so an error counts
 * as a `RaftError` by its shape (an `Error` with a string `code`), not by `instanceof`.
 */
import { RaftError } from '@raft-io/core';

export function isRaftError(err: unknown): err is RaftError {
  if (err instanceof RaftError) return true;
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}
