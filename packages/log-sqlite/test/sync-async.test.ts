/**
 * `syncAsync`: the group-commit fsync on libuv's thread pool, for drivers with asynchronous
 * storage writes (docs/decisions.md D21). It covers the writes made before the call; writes
 * made while it runs go on and wait for the next sync; the high-water mark never rises to a
 * state that a truncation made while the fsync ran has taken out of the log.
 */
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLog } from '../src/index.js';
import { entries } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(() => removeTempDirs());

function groupLog(): { log: SqliteLog; path: string } {
  const path = join(tempDir(), 'log.db');
  return { log: SqliteLog.open(path, { groupCommit: true }), path };
}

describe('SqliteLog.syncAsync', () => {
  it('makes the writes before it durable: the mark rises to them, not to writes made meanwhile', async () => {
    // init: a group-commit log with entries 1..10 written, not synced.
    const { log, path } = groupLog();
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: entries(1, 10, 1) });
    // act: start the sync, write 11..20 while it runs, then let it finish.
    const done = log.syncAsync();
    log.write({ entries: entries(11, 20, 1) });
    await done;
    // check: the mark covers 10 (the writes before the call), not 20.
    expect(log.highWaterMark()).toEqual({ term: 1, vote: 1, lastIndex: 10, lastTerm: 1 });
    await log.syncAsync();
    log.close();
    const again = SqliteLog.open(path);
    expect(again.lastIndex()).toBe(20);
    again.close();
  });

  it('a truncation while the fsync runs keeps the mark from rising to the truncated state', async () => {
    // init: 20 entries synced; 21..30 written.
    const { log, path } = groupLog();
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: entries(1, 20, 1) });
    log.sync();
    log.write({ entries: entries(21, 30, 1) });
    // act: the sync starts (it captured index 30), then 25.. is replaced by a shorter suffix.
    const done = log.syncAsync();
    log.write({ hardState: { term: 2, vote: 2, commit: 0 }, truncateFrom: 25, entries: entries(25, 27, 2) });
    await done;
    // check: the files as they are once the mark's background flush ran (a crash here) open
    // (without the rule the mark said 30 of term 1 and the copy was refused, LOG_ROLLED_BACK:
    // its last entry is 27); the next sync raises the mark to the real state.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const name of ['log.db', 'log.db-wal', 'log.db.hwm'])
      copyFileSync(join(dirname(path), name), join(dirname(path), `crash-${name}`));
    const crashed = SqliteLog.open(join(dirname(path), 'crash-log.db'));
    expect(crashed.lastIndex()).toBe(27);
    crashed.close();
    await log.syncAsync();
    expect(log.highWaterMark()).toEqual({ term: 2, vote: 2, lastIndex: 27, lastTerm: 2 });
    log.close();
    const again = SqliteLog.open(path);
    expect([again.lastIndex(), again.term(27)]).toEqual([27, 2]);
    again.close();
  });

  it('without group commit, or with nothing written, it resolves at once', async () => {
    const path = join(tempDir(), 'log.db');
    const log = SqliteLog.open(path);
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: entries(1, 3, 1) });
    await expect(log.syncAsync()).resolves.toBeUndefined();
    log.close();
    const { log: group } = groupLog();
    await expect(group.syncAsync()).resolves.toBeUndefined();
    group.close();
  });
});
