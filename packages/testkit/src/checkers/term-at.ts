/** Reading a log without throwing: the checkers look at whatever part of a log is there. */
import type { RaftLog } from '@raft-io/core';

/** The term at `index`, or undefined when it is compacted away or past the end. */
export function termAt(log: RaftLog, index: number): number | undefined {
  if (index < log.firstIndex() - 1 || index > log.lastIndex()) return undefined;
  if (index === 0) return 0;
  return log.term(index);
}
