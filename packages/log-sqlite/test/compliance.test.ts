/**
 * The `RaftLog` compliance suite from @raft-io/testkit, run on real files in a temp dir:
 * with the defaults, with the tail cache off (every read is a query) and with group commit
 * and a tiny cache (reads straddle cache and database).
 */
import { join } from 'node:path';
import type { RaftLog } from '@raft-io/core';
import { runRaftLogCompliance } from '@raft-io/testkit/compliance';
import { SqliteLog, type SqliteLogOptions } from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

function factory(options: SqliteLogOptions) {
  let n = 0;
  return {
    open(): RaftLog {
      return SqliteLog.open(join(tempDir(), `log-${n++}.db`), options);
    },
    reopen(log: RaftLog): RaftLog {
      const path = (log as SqliteLog).path;
      log.close?.();
      return SqliteLog.open(path, options);
    },
    cleanup: removeTempDirs,
  };
}

runRaftLogCompliance('SqliteLog (defaults)', factory({}));
runRaftLogCompliance('SqliteLog (no tail cache)', factory({ tailCacheEntries: 0 }));
runRaftLogCompliance(
  'SqliteLog (group commit, 3-entry cache)',
  factory({ groupCommit: true, tailCacheEntries: 3 }),
);
