/**
 * Runs the `RaftLog` compliance suite against core's `MemoryLog`. `MemoryLog` is its own
 * disk, so reopening it returns the same instance.
 */
import { MemoryLog } from '@raft-io/core';
import { runRaftLogCompliance } from '../src/compliance/raft-log-compliance.js';

runRaftLogCompliance('MemoryLog', {
  open: () => new MemoryLog(),
  reopen: (log) => log,
});
