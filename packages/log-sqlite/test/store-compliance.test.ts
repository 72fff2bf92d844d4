/**
 * The `RaftLog` compliance suite from @raft-io/testkit, run on one group of a `SqliteLogStore`
 * (real files in a temp dir) whose neighbour group is written in the same file before and
 * after every reopen: a row of one group leaking into another's reads would show.
 */
import { join } from 'node:path';
import type { RaftLog } from '@raft-io/core';
import { runRaftLogCompliance } from '@raft-io/testkit/compliance';
import { type SqliteGroupLog, SqliteLogStore, type SqliteLogStoreOptions } from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

const GROUP = 7;
const NEIGHBOUR = 8;

/** Give the neighbour group entries and a hard state around the tested group's indexes. */
function disturb(store: SqliteLogStore): void {
  const other = store.group(NEIGHBOUR);
  const last = other.lastIndex();
  const data = new TextEncoder().encode('neighbour');
  other.write({
    hardState: { term: 99, vote: 1, commit: 0 },
    entries: Array.from({ length: 5 }, (_, i) => ({
      index: last + i + 1,
      term: 99,
      type: 'command' as const,
      data,
    })),
  });
}

function factory(options: SqliteLogStoreOptions) {
  let n = 0;
  /** The store of each group log handed out (a group's `close` only detaches it). */
  const stores = new Map<RaftLog, SqliteLogStore>();
  const open = (path: string): RaftLog => {
    const store = SqliteLogStore.open(path, options);
    disturb(store);
    const log: SqliteGroupLog = store.group(GROUP);
    stores.set(log, store);
    return log;
  };
  return {
    open: () => open(join(tempDir(), `store-${n++}.db`)),
    reopen(log: RaftLog): RaftLog {
      const old = stores.get(log)!;
      stores.delete(log);
      disturb(old);
      old.close();
      return open(old.path);
    },
    cleanup(): void {
      for (const store of stores.values()) store.close();
      stores.clear();
      removeTempDirs();
    },
  };
}

runRaftLogCompliance('SqliteLogStore group (defaults)', factory({}));
runRaftLogCompliance('SqliteLogStore group (no tail cache)', factory({ tailCacheEntries: 0 }));
runRaftLogCompliance('SqliteLogStore group (3-entry cache)', factory({ tailCacheEntries: 3 }));
