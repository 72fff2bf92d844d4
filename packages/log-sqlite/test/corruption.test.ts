/**
 * Opening a file that is not a healthy raft-io log fails with a typed `SqliteLogError`
 * naming the file and the problem, and leaves every file as it was: garbage, an empty or
 * truncated file, a damaged page, another application's database, a newer schema, and
 * tables that break the log's invariants.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '@raft-io/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLog } from '../src/index.js';
import { expectLogError, fingerprint, writeLog } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(removeTempDirs);

/** A fresh dir with a file `log.db`. */
function setup(): { dir: string; path: string } {
  const dir = tempDir();
  return { dir, path: join(dir, 'log.db') };
}

/** Opening `path` fails with `reason`, names the file, and changes no file in `dir`. */
function expectRefused(
  dir: string,
  path: string,
  reason: Parameters<typeof expectLogError>[1],
  options = {},
) {
  const before = fingerprint(dir);
  const error = expectLogError(() => SqliteLog.open(path, options), reason);
  expect(error).toBeInstanceOf(StorageError);
  expect(error.file).toBe(path);
  expect(error.message).toContain(path);
  expect(error.message).toContain(reason);
  expect(fingerprint(dir)).toEqual(before);
  return error;
}

/** Run SQL on a closed log file through a plain connection. */
function tamper(path: string, sql: string): void {
  const db = new Database(path, { fileMustExist: true });
  db.exec(sql);
  db.close();
}

describe('files that are not SQLite databases', () => {
  it('refuses garbage bytes', () => {
    const { dir, path } = setup();
    writeFileSync(path, randomBytes(8192));
    expect(expectRefused(dir, path, 'LOG_CORRUPT').message).toMatch(/not an SQLite database/);
  });

  it('refuses an empty file: a log file is never empty, so it is not taken for a new log', () => {
    const { dir, path } = setup();
    writeFileSync(path, '');
    expect(expectRefused(dir, path, 'LOG_CORRUPT').message).toMatch(/empty/);
    expect(statSync(path).size).toBe(0);
  });

  it('refuses a log truncated inside its header', () => {
    const { dir, path } = setup();
    writeLog(path);
    truncateSync(path, 60);
    expect(expectRefused(dir, path, 'LOG_CORRUPT').message).toMatch(/truncated/);
  });
});

describe('damaged logs', () => {
  it('refuses a log truncated to half its pages', () => {
    const { dir, path } = setup();
    writeLog(path, 2000);
    truncateSync(path, Math.floor(statSync(path).size / 2 / 4096) * 4096);
    expectRefused(dir, path, 'LOG_CORRUPT');
  });

  it('refuses a log with a page overwritten by garbage (quick_check)', () => {
    const { dir, path } = setup();
    writeLog(path, 2000);
    const pages = statSync(path).size / 4096;
    const fd = openSync(path, 'r+');
    writeSync(fd, randomBytes(4096), 0, 4096, Math.floor(pages / 2) * 4096);
    closeSync(fd);
    expect(expectRefused(dir, path, 'LOG_CORRUPT').message).toMatch(/quick_check|malformed/);
  });

  it('without quickCheck, reading a damaged page fails with LOG_CORRUPT rather than returning garbage', () => {
    const { path } = setup();
    writeLog(path, 2000);
    const pages = statSync(path).size / 4096;
    const fd = openSync(path, 'r+');
    // Page 3 onwards hold the entries' B-tree; clobber every other leaf in the middle.
    for (let p = Math.floor(pages / 4); p < Math.floor((3 * pages) / 4); p += 2) {
      writeSync(fd, randomBytes(4096), 0, 4096, p * 4096);
    }
    closeSync(fd);
    expectLogError(() => {
      const log = SqliteLog.open(path, { quickCheck: false, tailCacheEntries: 0 });
      try {
        log.entries(log.firstIndex(), log.lastIndex() + 1);
      } finally {
        log.close();
      }
    }, 'LOG_CORRUPT');
  });
});

describe('databases that are not raft-io logs', () => {
  it("refuses another application's database and leaves it byte for byte", () => {
    const { dir, path } = setup();
    const db = new Database(path);
    db.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada');",
    );
    db.close();
    const error = expectRefused(dir, path, 'LOG_NOT_A_RAFT_LOG');
    expect(error.message).toMatch(/application_id 0x00000000/);
    const again = new Database(path, { readonly: true });
    expect(again.prepare('SELECT name FROM users').pluck().all()).toEqual(['ada']);
    again.close();
  });

  it('refuses a database with our application id whose tables are missing', () => {
    const { dir, path } = setup();
    writeLog(path);
    tamper(path, 'DROP TABLE snapshot_data');
    expect(expectRefused(dir, path, 'LOG_CORRUPT').message).toMatch(/snapshot_data is missing/);
  });
});

describe('schema versions', () => {
  it('refuses a newer schema version and never rewrites the file', () => {
    const { dir, path } = setup();
    writeLog(path);
    tamper(path, 'PRAGMA user_version = 99');
    const error = expectRefused(dir, path, 'LOG_SCHEMA_UNSUPPORTED');
    expect(error.message).toMatch(/schema version 99 is newer than 2/);
  });

  it('refuses a newer schema version even with quickCheck off', () => {
    const { dir, path } = setup();
    writeLog(path);
    tamper(path, 'PRAGMA user_version = 3');
    expectRefused(dir, path, 'LOG_SCHEMA_UNSUPPORTED', { quickCheck: false });
  });
});

describe('tables that break the invariants of the log', () => {
  it('refuses entries that do not start right after the compaction point', () => {
    const { dir, path } = setup();
    writeLog(path);
    tamper(path, 'DELETE FROM entries WHERE idx = 1');
    expect(expectRefused(dir, path, 'LOG_CORRUPT').message).toMatch(
      /start at 2, but the compaction point is 0/,
    );
  });

  it('refuses a gap in the entries (quickCheck counts them)', () => {
    const { dir, path } = setup();
    writeLog(path);
    tamper(path, 'DELETE FROM entries WHERE idx = 50');
    expect(expectRefused(dir, path, 'LOG_CORRUPT').message).toMatch(/gaps/);
  });

  it('without quickCheck, a read across a gap fails with LOG_CORRUPT', () => {
    const { path } = setup();
    writeLog(path);
    tamper(path, 'DELETE FROM entries WHERE idx = 50');
    const log = SqliteLog.open(path, { quickCheck: false, tailCacheEntries: 10 });
    try {
      expectLogError(() => log.entries(40, 60), 'LOG_CORRUPT');
      expectLogError(() => log.entries(40, 60, 1500), 'LOG_CORRUPT');
      expect(log.entries(40, 60, 500).map((e) => e.index)).toEqual([40, 41, 42, 43, 44]);
      expectLogError(() => log.term(50), 'LOG_CORRUPT');
      expect(log.entries(51, 60)).toHaveLength(9);
    } finally {
      log.close();
    }
  });

  it('refuses a missing hard state row and malformed snapshot metadata', () => {
    const a = setup();
    writeLog(a.path);
    tamper(a.path, 'DELETE FROM hard_state');
    expect(expectRefused(a.dir, a.path, 'LOG_CORRUPT').message).toMatch(/hard_state row is missing/);
    const b = setup();
    writeLog(b.path);
    tamper(b.path, 'UPDATE snapshot_meta SET membership = \'{"voters": "x"}\'');
    expect(expectRefused(b.dir, b.path, 'LOG_CORRUPT').message).toMatch(/snapshot metadata is malformed/);
  });
});

describe('the files a refused open leaves', () => {
  it('a healthy log still opens after all this, with its data', () => {
    const { path } = setup();
    writeLog(path, 300);
    const bytes = readFileSync(path).length;
    const log = SqliteLog.open(path);
    expect(log.lastIndex()).toBe(300);
    expect(log.hardState()).toEqual({ term: 3, vote: 2, commit: 300 });
    log.close();
    expect(bytes).toBeGreaterThan(0);
  });
});
