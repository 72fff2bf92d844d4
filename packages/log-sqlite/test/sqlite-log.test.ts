/**
 * `SqliteLog` beyond the compliance suite: reopening resumes term, vote and log; one
 * writer per file; use after close; malformed writes; a write that fails inside SQLite;
 * options; and a large log read across the tail cache boundary.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidConfigError, StorageError } from '@raft-io/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLog, resolveSqliteLogOptions, SQLITE_LOG_DEFAULTS, SqliteLog } from '../src/index.js';
import { entries, expectLogError, expectOversizedValueRefused } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(removeTempDirs);

const file = () => join(tempDir(), 'log.db');
const view = (log: SqliteLog, lo: number, hi: number) =>
  log.entries(lo, hi).map((e) => [e.index, e.term, e.data[0]]);

describe('reopen', () => {
  it('resumes term, vote, commit, entries, compaction point and snapshot', () => {
    const path = file();
    const log = openSqliteLog(path);
    log.write({ hardState: { term: 7, vote: 3, commit: 40 }, entries: entries(1, 50, 7) });
    log.write({
      snapshot: {
        metadata: {
          index: 30,
          term: 7,
          membership: { voters: [1, 2, 3], learners: [9], outgoingVoters: [] },
        },
        data: new Uint8Array([1, 2, 3]),
      },
      compact: { index: 20, term: 7 },
    });
    log.close();
    const again = SqliteLog.open(path);
    expect(again.hardState()).toEqual({ term: 7, vote: 3, commit: 40 });
    expect([again.firstIndex(), again.lastIndex(), again.term(20)]).toEqual([21, 50, 7]);
    expect(again.snapshotMetadata()).toEqual({
      index: 30,
      term: 7,
      membership: { voters: [1, 2, 3], learners: [9], outgoingVoters: [] },
    });
    expect(Array.from(again.snapshot()!.data)).toEqual([1, 2, 3]);
    expect(view(again, 21, 23)).toEqual([
      [21, 7, 21],
      [22, 7, 22],
    ]);
    expect(again.entries(21, 51).map((e) => e.index)).toEqual(Array.from({ length: 30 }, (_, i) => 21 + i));
    again.close();
  });

  it('creates the file only once: a second open of a new log finds the first one', () => {
    const path = file();
    SqliteLog.open(path).close();
    const log = SqliteLog.open(path, { create: false });
    expect(log.lastIndex()).toBe(0);
    log.close();
  });

  it("creates the log's files readable by their owner only", () => {
    const path = file();
    const log = SqliteLog.open(path);
    log.write({ entries: entries(1, 3, 1) });
    for (const name of [path, `${path}-wal`, `${path}.hwm`, `${path}.lock`]) {
      expect((statSync(name).mode & 0o777).toString(8), name).toBe('600');
    }
    log.close();
  });

  it('fails with LOG_NOT_FOUND when the file is missing and create is false', () => {
    const path = file();
    expectLogError(() => SqliteLog.open(path, { create: false }), 'LOG_NOT_FOUND');
  });
});

describe('one writer per file', () => {
  it('a second open while the log is open fails with LOG_LOCKED, and succeeds after close', () => {
    const path = file();
    const log = SqliteLog.open(path);
    log.write({ entries: entries(1, 3, 1) });
    expectLogError(() => SqliteLog.open(path), 'LOG_LOCKED');
    // The lock holds on a freshly opened log too, before any write.
    const other = file();
    const fresh = SqliteLog.open(other);
    expectLogError(() => SqliteLog.open(other), 'LOG_LOCKED');
    fresh.close();
    // Nor can another program read it meanwhile.
    const raw = new Database(path, { timeout: 0 });
    expect(() => raw.prepare('SELECT count(*) FROM entries').get()).toThrow(/locked/);
    raw.close();
    log.close();
    const again = SqliteLog.open(path);
    expect(again.lastIndex()).toBe(3);
    again.close();
  });
});

describe('use after close', () => {
  it('every method throws LOG_CLOSED; close is idempotent', () => {
    const log = SqliteLog.open(file());
    log.close();
    log.close();
    expect(log.closed).toBe(true);
    for (const call of [
      () => log.hardState(),
      () => log.firstIndex(),
      () => log.lastIndex(),
      () => log.term(0),
      () => log.entries(1, 1),
      () => log.snapshot(),
      () => log.snapshotMetadata(),
      () => log.write({}),
      () => log.sync(),
    ]) {
      expectLogError(call, 'LOG_CLOSED');
    }
  });
});

describe('malformed writes', () => {
  const bad: Array<[string, unknown]> = [
    ['an entry of term 0', { entries: [{ index: 1, term: 0, type: 'command', data: new Uint8Array() }] }],
    ['an unknown entry type', { entries: [{ index: 1, term: 1, type: 'nope', data: new Uint8Array() }] }],
    ['data that is not bytes', { entries: [{ index: 1, term: 1, type: 'command', data: 'text' }] }],
    ['a fractional index', { entries: [{ index: 1.5, term: 1, type: 'command', data: new Uint8Array() }] }],
    ['a vote of 0', { hardState: { term: 1, vote: 0, commit: 0 } }],
    ['a negative commit', { hardState: { term: 1, vote: null, commit: -1 } }],
    ['truncation below the compaction point', { truncateFrom: 0 }],
    ['a compaction point of NaN', { compact: { index: Number.NaN, term: 1 } }],
    [
      'a snapshot without membership lists',
      { snapshot: { metadata: { index: 1, term: 1, membership: { voters: [1] } }, data: new Uint8Array() } },
    ],
  ];
  for (const [what, write] of bad) {
    it(`rejects ${what} with LOG_INVALID_WRITE and stays usable`, () => {
      const log = SqliteLog.open(file());
      log.write({ hardState: { term: 1, vote: 1, commit: 0 } });
      expectLogError(() => log.write(write as never), 'LOG_INVALID_WRITE');
      expect(log.hardState()).toEqual({ term: 1, vote: 1, commit: 0 });
      expect(log.lastIndex()).toBe(0);
      log.write({ entries: entries(1, 2, 1) });
      expect(log.lastIndex()).toBe(2);
      log.close();
    });
  }
});

describe('a value larger than SQLite takes', () => {
  it('is refused with LOG_INVALID_WRITE before anything is written, and the log stays usable', () => {
    const log = SqliteLog.open(file());
    expectOversizedValueRefused(log);
    log.close();
  });
});

describe('a write that fails inside SQLite', () => {
  it('throws a StorageError (LOG_IO), rolls the whole write back, and refuses further writes', () => {
    const path = file();
    const setup = SqliteLog.open(path);
    setup.write({ hardState: { term: 1, vote: 1, commit: 1 }, entries: entries(1, 3, 1) });
    setup.close();

    const log = SqliteLog.open(path);
    // A full disk, as SQLite sees it: the file may not grow past its current pages.
    const db = (log as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const error = expectLogError(
      () => log.write({ hardState: { term: 2, vote: 2, commit: 3 }, entries: entries(4, 400, 2, 4096) }),
      'LOG_IO',
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error.message).toContain('SQLITE_FULL');
    expect(log.hardState()).toEqual({ term: 1, vote: 1, commit: 1 });
    expect(log.lastIndex()).toBe(3);
    expectLogError(() => log.write({ entries: entries(4, 4, 2) }), 'LOG_FAILED');
    log.close();

    const again = SqliteLog.open(path);
    expect(again.hardState()).toEqual({ term: 1, vote: 1, commit: 1 });
    expect(again.lastIndex()).toBe(3);
    again.write({ entries: entries(4, 6, 2) });
    again.close();
  });
});

describe('options', () => {
  it('fills defaults and rejects bad values with InvalidConfigError naming the field', () => {
    expect(resolveSqliteLogOptions()).toEqual(SQLITE_LOG_DEFAULTS);
    expect(resolveSqliteLogOptions({ groupCommit: true }).synchronous).toBe('normal');
    const cases: Array<[object, string]> = [
      [{ groupCommit: true, synchronous: 'full' }, 'synchronous'],
      [{ synchronous: 'off' }, 'synchronous'],
      [{ tailCacheEntries: -1 }, 'tailCacheEntries'],
      [{ tailCacheBytes: 1.5 }, 'tailCacheBytes'],
      [{ quickCheck: 'yes' }, 'quickCheck'],
      [{ highWaterMarkFlushMs: -1 }, 'highWaterMarkFlushMs'],
    ];
    for (const [options, field] of cases) {
      let caught: unknown;
      try {
        resolveSqliteLogOptions(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidConfigError);
      expect((caught as InvalidConfigError).field).toBe(field);
    }
  });
});

describe('a larger log', () => {
  it('reads ranges that cross from the database into the tail cache, with and without maxBytes', () => {
    const log = SqliteLog.open(file(), { tailCacheEntries: 100 });
    for (let i = 1; i <= 5000; i += 500)
      log.write({ entries: entries(i, i + 499, 1 + Math.floor(i / 1000), 10) });
    expect(log.lastIndex()).toBe(5000);
    const all = log.entries(4850, 5001);
    expect(all.map((e) => e.index)).toEqual(Array.from({ length: 151 }, (_, i) => 4850 + i));
    expect(log.entries(4850, 5001, 95).map((e) => e.index)).toEqual(
      Array.from({ length: 9 }, (_, i) => 4850 + i),
    );
    expect(log.entries(1, 5001, 20_000)).toHaveLength(2000);
    expect(log.term(1)).toBe(1);
    expect(log.term(4999)).toBe(5);
    log.write({ compact: { index: 4990, term: 5 } });
    expect(log.firstIndex()).toBe(4991);
    expect(log.entries(4991, 5001)).toHaveLength(10);
    log.close();
  });

  it('loads only as many newest entries as the byte limit allows, and still reads everything', () => {
    const path = file();
    const log = SqliteLog.open(path);
    log.write({ entries: entries(1, 50, 2, 100) });
    log.close();
    const again = SqliteLog.open(path, { tailCacheBytes: 250 });
    expect(again.entries(1, 51).map((e) => e.index)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(again.entries(48, 51, 150).map((e) => e.index)).toEqual([48]);
    expect(again.term(49)).toBe(2);
    again.close();
  });
});

describe('group commit', () => {
  it('sync() keeps working across WAL checkpoints, and everything synced is there after reopen', () => {
    const path = file();
    const log = SqliteLog.open(path, { groupCommit: true });
    expect(log.options.synchronous).toBe('normal');
    // About 12 MiB: several automatic checkpoints restart the WAL underneath sync().
    for (let i = 1; i <= 12_000; i += 200) {
      log.write({ hardState: { term: 1, vote: 1, commit: i }, entries: entries(i, i + 199, 1, 1024) });
      log.sync();
    }
    log.sync();
    log.close();
    const again = SqliteLog.open(path);
    expect(again.lastIndex()).toBe(12_000);
    expect(again.hardState().commit).toBe(11_801);
    expect(again.entries(5000, 5002).map((e) => e.data.length)).toEqual([1024, 1024]);
    again.close();
  });
});
