/**
 * The migration path: a file of an older schema version is brought forward one migration
 * at a time, each in a transaction with its version bump; a failing migration leaves the
 * file at the version it had; a file of a newer version is refused. A version 1 file (as
 * the first release wrote it) opens, gets its checksums and a high-water mark, and is
 * protected by them from then on.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSqliteLogOptions, SCHEMA_VERSION, SqliteLog, STORE_SCHEMA_VERSION } from '../src/index.js';
import { openDatabase } from '../src/open-database.js';
import { MIGRATIONS, type Migration, migrate } from '../src/schema.js';
import { STORE_MIGRATIONS } from '../src/store-schema.js';
import { expectLogError, writeLog, writeVersion1Log } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(removeTempDirs);

const options = resolveSqliteLogOptions();

const next: Migration = {
  version: SCHEMA_VERSION + 1,
  description: 'test: a membership history table',
  up(db) {
    db.exec('CREATE TABLE membership_history (idx INTEGER PRIMARY KEY, membership TEXT NOT NULL) STRICT');
  },
};

function version(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('are numbered 1, 2, ... and SCHEMA_VERSION is the last', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.at(-1)!.version);
  });

  it('of the log store are numbered 1, 2, ... and STORE_SCHEMA_VERSION is the last', () => {
    expect(STORE_MIGRATIONS.map((m) => m.version)).toEqual(STORE_MIGRATIONS.map((_, i) => i + 1));
    expect(STORE_SCHEMA_VERSION).toBe(STORE_MIGRATIONS.at(-1)!.version);
  });

  it('bring an older file forward and keep its data', () => {
    const path = join(tempDir(), 'log.db');
    writeLog(path, 20);
    expect(version(path)).toBe(SCHEMA_VERSION);
    openDatabase(path, options, [...MIGRATIONS, next]).close();
    expect(version(path)).toBe(SCHEMA_VERSION + 1);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(20);
    expect(
      db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'membership_history'").pluck().get(),
    ).toBe(1);
    db.close();
    // This package knows only SCHEMA_VERSION: the migrated file is now too new for it.
    expectLogError(() => SqliteLog.open(path), 'LOG_SCHEMA_UNSUPPORTED');
  });

  it('roll a failing migration back whole, leaving the file at its version', () => {
    const path = join(tempDir(), 'log.db');
    writeLog(path, 20);
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      description: 'test: fails halfway',
      up(db) {
        db.exec('CREATE TABLE half (x INTEGER)');
        throw new Error('migration bug');
      },
    };
    expectLogError(() => openDatabase(path, options, [...MIGRATIONS, broken]), 'LOG_IO');
    expect(version(path)).toBe(SCHEMA_VERSION);
    const log = SqliteLog.open(path);
    expect(log.lastIndex()).toBe(20);
    log.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuse to skip a version', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, 0, [next])).toThrow(
      new RegExp(`no migration from schema version 0 to ${SCHEMA_VERSION + 1}`),
    );
    db.close();
  });

  it('open a version 1 file: data kept, every row checksummed, a high-water mark made, an identity recorded', () => {
    // Init: a log as version 1 (the first release) left it.
    const path = join(tempDir(), 'log.db');
    writeVersion1Log(path);
    expect(version(path)).toBe(1);
    expect(existsSync(`${path}.hwm`)).toBe(false);

    // Act: open it with this version, as node 1 of cluster 9.
    const log = SqliteLog.open(path, { identity: { nodeId: 1, clusterId: 9 } });

    // Check: same content, now version 2, with a mark at its state and the identity.
    expect(log.hardState()).toEqual({ term: 3, vote: 2, commit: 40 });
    expect([log.firstIndex(), log.lastIndex()]).toEqual([11, 50]);
    expect(log.entries(11, 51).map((e) => [e.index, e.term, e.type, e.data[0]])).toEqual(
      Array.from({ length: 40 }, (_, i) => [
        11 + i,
        3,
        (11 + i) % 5 === 0 ? 'empty' : 'command',
        (11 + i) % 256,
      ]),
    );
    expect(Array.from(log.snapshot()!.data)).toEqual([4, 5, 6]);
    expect(log.highWaterMark()).toEqual({ term: 3, vote: 2, lastIndex: 50, lastTerm: 3 });
    log.close();
    expect(version(path)).toBe(2);
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM entries WHERE crc = 0').pluck().get()).toBe(0);
    raw.close();
    expectLogError(
      () => SqliteLog.open(path, { identity: { nodeId: 2, clusterId: 9 } }),
      'LOG_IDENTITY_MISMATCH',
    );
    // From now on a changed row is caught (on read: no tail cache loads it at open).
    const db = new Database(path);
    db.exec('UPDATE entries SET term = 4 WHERE idx = 30');
    db.close();
    const again = SqliteLog.open(path, { tailCacheEntries: 0 });
    expectLogError(() => again.entries(25, 35), 'LOG_CORRUPT');
    again.close();
  });
});
