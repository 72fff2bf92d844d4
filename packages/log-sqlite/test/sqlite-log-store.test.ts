/**
 * `SqliteLogStore`: many groups' logs in one SQLite file. What one file for all groups must
 * give (one fsync for every group's writes; syncs of one turn coalesced; groups isolated to
 * the byte) and what a single log's integrity features become per group (checksums bound to
 * the group, a high-water mark per group lowered before a truncation, deletion that a crash
 * cannot half-do, identity, one writer). The crash test with a real process is
 * store-crash.test.ts; the RaftLog contract per group is store-compliance.test.ts.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLog, SqliteLogStore } from '../src/index.js';
import { entries, expectLogError, expectOversizedValueRefused } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

const open: SqliteLogStore[] = [];
function openStore(path: string, options = {}): SqliteLogStore {
  const store = SqliteLogStore.open(path, options);
  open.push(store);
  return store;
}

/**
 * A store with groups 1 and 2 (group 2 with a durable hard state) where SQLite fails every
 * insert of group 2's entries: `ROLLBACK` gives up the whole transaction (a full disk, an I/O
 * error), `ABORT` only the statement (a temporary trigger: the file's schema stays as it is).
 */
function failingGroupTwo(path: string, how: 'ROLLBACK' | 'ABORT') {
  const store = openStore(path);
  const [g1, g2] = [store.group(1), store.group(2)];
  g2.write({ hardState: { term: 1, vote: 1, commit: 0 } });
  store.sync();
  store
    .database()
    .exec(
      `CREATE TEMP TRIGGER fail BEFORE INSERT ON main.entries WHEN NEW.grp = 2 BEGIN SELECT RAISE(${how}, 'no room'); END`,
    );
  return { store, g1, g2 };
}

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  removeTempDirs();
});

/** Copy the store's files as a crash would leave them (the WAL and the marks as they are now). */
function crashCopy(path: string): string {
  const to = join(tempDir(), 'copy.db');
  for (const suffix of ['', '-wal', '.hwm'])
    if (existsSync(path + suffix)) copyFileSync(path + suffix, to + suffix);
  return to;
}

describe('SqliteLogStore', () => {
  it('one fsync makes the writes of a hundred groups durable', () => {
    // init
    const store = openStore(join(tempDir(), 's.db'));
    const logs = Array.from({ length: 100 }, (_, i) => store.group(i + 1));
    store.sync();
    const before = store.stats().walSyncs;
    // act: every group writes; one sync.
    for (const log of logs)
      log.write({ hardState: { term: 1, vote: null, commit: 0 }, entries: entries(1, 3, 1) });
    logs[42]!.sync();
    // check
    expect(store.stats().walSyncs - before).toBe(1);
    expect(store.stats().writes).toBe(100);
  });

  it('syncAsync calls of one turn share one fsync; a call made while it runs waits for the next', async () => {
    // init
    const store = openStore(join(tempDir(), 's.db'));
    const logs = Array.from({ length: 50 }, (_, i) => store.group(i + 1));
    store.sync();
    const base = store.stats().walSyncs;
    // act 1: fifty groups write and ask in one turn.
    const first = logs.map((log) => {
      log.write({ entries: entries(1, 1, 1) });
      return log.syncAsync();
    });
    // The fsync starts in the next turn; a write made after it started is not covered by it.
    await new Promise((r) => setImmediate(r));
    expect(store.stats().walSyncs - base).toBe(1);
    logs[0]!.write({ entries: entries(2, 2, 1) });
    const late = logs[0]!.syncAsync();
    let lateDone = false;
    void late.then(() => {
      lateDone = true;
    });
    await Promise.all(first);
    // check: the first fifty resolved with one fsync; the late write needs a second one.
    expect(store.stats().walSyncs - base).toBeLessThanOrEqual(2);
    await late;
    expect(lateDone).toBe(true);
    expect(store.stats().walSyncs - base).toBe(2);
  });

  it('the writes of a batch are one transaction: a crash before its sync has none of them, one after has all', async () => {
    // init
    const path = join(tempDir(), 's.db');
    const store = openStore(path);
    const logs = Array.from({ length: 20 }, (_, i) => store.group(i + 1));
    store.sync();
    const batches = store.stats().batches;
    // act: twenty groups write three entries each; the files are copied as crashes would leave
    // them, before the sync and once the sync has committed the batch.
    for (const log of logs) log.write({ entries: entries(1, 3, 1) });
    const before = crashCopy(path);
    const synced = store.syncAsync();
    await new Promise((r) => setImmediate(r));
    const after = crashCopy(path);
    await synced;
    // check: one commit for the batch (one commit per group write would put rows in `before`).
    expect(store.stats().batches - batches).toBe(1);
    const lastIndexes = (copy: string) => {
      const s = openStore(copy);
      return s.groups().map((id) => s.group(id).lastIndex());
    };
    expect(lastIndexes(before)).toEqual(Array(20).fill(0));
    expect(lastIndexes(after)).toEqual(Array(20).fill(3));
  });

  it('a batch SQLite rolls back (a full disk, an I/O error) is never reported durable, for any group', async () => {
    // init: a trigger plays the failure SQLite answers with a rollback of the whole transaction.
    const { g1, g2 } = failingGroupTwo(join(tempDir(), 's.db'), 'ROLLBACK');
    // act: group 1 writes and asks for durability; group 2's write in the same batch fails.
    g1.write({ entries: entries(1, 3, 1) });
    const synced = g1.syncAsync();
    expect(() => g2.write({ entries: entries(1, 1, 1) })).toThrow();
    // check: group 1's write went with the batch, so it is not reported durable either.
    await expect(synced).rejects.toMatchObject({ reason: 'LOG_FAILED' });
    expectLogError(() => g1.write({ entries: entries(4, 4, 1) }), 'LOG_FAILED');
  });

  it('a group write that fails half-way stops the store, and no write of its batch survives', async () => {
    // init: group 2 has a hard state; a trigger fails its next insert after its hard state
    // was updated (the write's statements run bare in the batch's transaction).
    const path = join(tempDir(), 's.db');
    const { store, g1, g2 } = failingGroupTwo(path, 'ABORT');
    // act: group 1 writes and asks for durability; group 2's write fails after its first statement.
    g1.write({ entries: entries(1, 3, 1) });
    const synced = g1.syncAsync();
    expect(() =>
      g2.write({ hardState: { term: 2, vote: 2, commit: 0 }, entries: entries(1, 1, 2) }),
    ).toThrow();
    // check: the store takes no more writes and reports none of the batch durable ...
    expectLogError(() => g1.write({ entries: entries(4, 4, 1) }), 'LOG_FAILED');
    await expect(synced).rejects.toMatchObject({ reason: 'LOG_FAILED' });
    store.close();
    // ... and neither group 2's half write nor group 1's write of the batch is in the file.
    const again = openStore(path);
    expect(again.group(2).hardState()).toEqual({ term: 1, vote: 1, commit: 0 });
    expect(again.group(1).lastIndex()).toBe(0);
    again.close();
  });

  it('refuses a value larger than SQLite takes before any statement runs, and stays usable', () => {
    const store = openStore(join(tempDir(), 's.db'));
    expectOversizedValueRefused(store.group(1));
    store.sync();
    expect(store.group(1).lastIndex()).toBe(2);
  });

  it('prepareGroups makes many new groups ready with one mark flush instead of one each', () => {
    // init
    const store = openStore(join(tempDir(), 's.db'));
    store.group(1).close();
    const before = store.stats().markFlushes;
    // act: a thousand new groups (and group 1, held already: skipped), then each one opened.
    const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
    store.prepareGroups(ids);
    const prepared = store.stats().markFlushes;
    for (const id of ids.slice(1)) store.group(id).close();
    // check: one flush for all of them, none more when they are opened; bad ids refused first.
    expect(prepared - before).toBe(1);
    expect(store.stats().markFlushes).toBe(prepared);
    expect(store.groups()).toHaveLength(1000);
    expect(() => store.prepareGroups([5000, 0])).toThrow('positive safe integer');
  });

  it('groups prepared but never opened (a crash in between) leave a store that reopens', () => {
    // init
    const path = join(tempDir(), 's.db');
    const store = openStore(path);
    store.group(1).close();
    // act: marks for groups 2 to 4 written, their rows never; the process dies.
    store.prepareGroups([2, 3, 4]);
    const copy = crashCopy(path);
    // check: the copy opens, and a prepared group is created on its first open
    const reopened = openStore(copy);
    const log = reopened.group(3);
    expect(log.lastIndex()).toBe(0);
    expect(reopened.groups()).toContain(1);
  });

  it('groups are isolated: each reads only its own rows, and a row moved to another group fails its checksum', () => {
    // init: groups 1 and 2 with entries 1..3 each, different data.
    const dir = tempDir();
    const path = join(dir, 's.db');
    let store = SqliteLogStore.open(path);
    store.group(1).write({ hardState: { term: 1, vote: null, commit: 0 }, entries: entries(1, 3, 1, 10) });
    store.group(2).write({ hardState: { term: 1, vote: null, commit: 0 }, entries: entries(1, 5, 1, 20) });
    expect(store.group(1).lastIndex()).toBe(3);
    expect(
      store
        .group(2)
        .entries(1, 6)
        .map((e) => e.data.length),
    ).toEqual([20, 20, 20, 20, 20]);
    store.close();
    // act: move group 1's entry 2 into group 2's key space (as a bug or an edit of the file would).
    const db = new Database(path);
    db.exec(
      'DELETE FROM entries WHERE grp = 2 AND idx = 2; UPDATE entries SET grp = 2 WHERE grp = 1 AND idx = 2',
    );
    db.close();
    // check: refused on open (group 1 has a gap).
    expect(expectLogError(() => SqliteLogStore.open(path), 'LOG_CORRUPT').message).toContain('group 1');
    // act: fill the gap with a copy of group 2's entry 3 (its checksum is of another place).
    const db2 = new Database(path);
    db2.exec(
      'INSERT INTO entries (grp, idx, term, type, data, crc) SELECT 1, 2, term, type, data, crc FROM entries WHERE grp = 2 AND idx = 3',
    );
    db2.close();
    // check: each misplaced row fails its checksum when read, naming its group.
    store = openStore(path);
    expect(expectLogError(() => store.group(2), 'LOG_CORRUPT').message).toContain('group 2');
    expect(expectLogError(() => store.group(1), 'LOG_CORRUPT').message).toContain('group 1');
  });

  it('reopens with every group where it was; a group of its own file is never a store, nor the other way', () => {
    const dir = tempDir();
    const path = join(dir, 's.db');
    const store = SqliteLogStore.open(path, { identity: { nodeId: 3, clusterId: 9 } });
    store.group(5).write({ hardState: { term: 2, vote: 3, commit: 4 }, entries: entries(1, 4, 2) });
    store.group(9);
    store.close();
    const again = openStore(path, { identity: { nodeId: 3, clusterId: 9 } });
    expect(again.groups()).toEqual([5, 9]);
    expect(again.group(5).hardState()).toEqual({ term: 2, vote: 3, commit: 4 });
    expect(again.group(5).lastIndex()).toBe(4);
    expect(again.identity()).toEqual({ nodeId: 3, clusterId: 9 });
    again.close();
    open.pop();
    // Another host's identity is refused; so is a single log where a store is expected.
    expectLogError(
      () => SqliteLogStore.open(path, { identity: { nodeId: 4, clusterId: 9 } }),
      'LOG_IDENTITY_MISMATCH',
    );
    expectLogError(() => SqliteLog.open(path), 'LOG_NOT_A_RAFT_LOG');
    const single = join(dir, 'single.db');
    SqliteLog.open(single).close();
    expectLogError(() => SqliteLogStore.open(single), 'LOG_NOT_A_RAFT_LOG');
  });

  it('one writer: a second open of the same store is refused', () => {
    const path = join(tempDir(), 's.db');
    openStore(path);
    expectLogError(() => SqliteLogStore.open(path), 'LOG_LOCKED');
  });

  it('a store that lost its WAL is refused, naming the group whose durable state is gone', async () => {
    // init: groups 1 and 3 checkpointed into the database; then group 3 wrote a vote and more
    // entries, durable in the WAL (a new term flushes its mark at once).
    const path = join(tempDir(), 's.db');
    const first = SqliteLogStore.open(path);
    first.group(1).write({ hardState: { term: 1, vote: null, commit: 0 } });
    first.group(3).write({ hardState: { term: 1, vote: null, commit: 0 }, entries: entries(1, 2, 1) });
    first.close();
    const store = openStore(path);
    store.group(3).write({ hardState: { term: 4, vote: 2, commit: 0 }, entries: entries(3, 6, 4) });
    store.sync();
    // act: a crash, and the WAL is lost.
    const copy = crashCopy(path);
    rmSync(`${copy}-wal`);
    // check
    const error = expectLogError(() => SqliteLogStore.open(copy), 'LOG_ROLLED_BACK');
    expect(error.message).toContain('group 3');
  });

  it('a truncation below a group mark lowers it first: a crash right after the truncation reopens cleanly', async () => {
    // init: group 2 holds 1..10 of term 1, durable, its mark raised (a new term flushes it).
    const path = join(tempDir(), 's.db');
    const store = openStore(path, { highWaterMarkFlushMs: 0 });
    const log = store.group(2);
    log.write({ hardState: { term: 1, vote: 1, commit: 3 }, entries: entries(1, 10, 1) });
    store.sync();
    // act: a new leader's entries of term 2 replace 5..10; the crash comes once the batch is
    // committed to the WAL (its pages may reach the disk) and before its fsync completes.
    log.write({ hardState: { term: 2, vote: 2, commit: 3 }, truncateFrom: 5, entries: entries(5, 10, 2) });
    const synced = log.syncAsync();
    await new Promise((r) => setImmediate(r)); // after the store's turn: committed, fsync in flight
    const copy = crashCopy(path);
    await synced;
    // check: the copy holds the truncation and opens. (Without the lowering its mark still says
    // entry 10 has term 1: LOG_ROLLED_BACK.)
    const reopened = openStore(copy);
    expect(reopened.group(2).term(10)).toBe(2);
  });

  it('deleteGroup removes every row durably; a deletion cut short by a crash is finished on open', () => {
    const path = join(tempDir(), 's.db');
    const store = SqliteLogStore.open(path);
    store.group(1).write({ entries: entries(1, 3, 1) });
    store.group(2).write({ entries: entries(1, 3, 1) });
    store.group(3).write({ entries: entries(1, 3, 1) });
    store.sync();
    // act 1: a deletion.
    store.deleteGroup(1);
    expect(store.groups()).toEqual([2, 3]);
    // act 2: a deletion whose tombstone is written but whose rows are not deleted (a crash).
    store.group(2).close();
    (store as unknown as { marks: { tombstone(g: number): void } }).marks.tombstone(2);
    const copy = crashCopy(path);
    store.close();
    // check: the copy finishes deleting group 2; a new group 1 starts empty.
    const reopened = openStore(copy);
    expect(reopened.groups()).toEqual([3]);
    expect(reopened.group(1).lastIndex()).toBe(0);
    expect(reopened.group(3).lastIndex()).toBe(3);
  });

  it('a missing mark file is refused; a group id must be a positive safe integer', () => {
    const path = join(tempDir(), 's.db');
    const store = SqliteLogStore.open(path);
    store.group(1).write({ entries: entries(1, 1, 1) });
    expect(() => store.group(0)).toThrow(/positive safe integer/);
    store.close();
    rmSync(`${path}.hwm`);
    expectLogError(() => SqliteLogStore.open(path), 'LOG_CORRUPT');
  });
});
