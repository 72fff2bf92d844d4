/**
 * The migration path: a file of an older schema version is brought forward one migration
 * at a time, each in a transaction with its version bump; a failing migration leaves the
 * file at the version it had; a file of a newer version is refused.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSqliteLogOptions, SCHEMA_VERSION, SqliteLog } from '../src/index.js';
import { openDatabase } from '../src/open-database.js';
import { MIGRATIONS, type Migration, migrate } from '../src/schema.js';
import { expectLogError, writeLog } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(removeTempDirs);

const options = resolveSqliteLogOptions();

const v2: Migration = {
  version: 2,
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

  it('bring an older file forward and keep its data', () => {
    const path = join(tempDir(), 'log.db');
    writeLog(path, 20);
    expect(version(path)).toBe(1);
    openDatabase(path, options, [...MIGRATIONS, v2]).close();
    expect(version(path)).toBe(2);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(20);
    expect(
      db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'membership_history'").pluck().get(),
    ).toBe(1);
    db.close();
    // This package knows only version 1: the migrated file is now too new for it.
    expectLogError(() => SqliteLog.open(path), 'LOG_SCHEMA_UNSUPPORTED');
  });

  it('roll a failing migration back whole, leaving the file at its version', () => {
    const path = join(tempDir(), 'log.db');
    writeLog(path, 20);
    const broken: Migration = {
      version: 2,
      description: 'test: fails halfway',
      up(db) {
        db.exec('CREATE TABLE half (x INTEGER)');
        throw new Error('migration bug');
      },
    };
    expectLogError(() => openDatabase(path, options, [...MIGRATIONS, broken]), 'LOG_IO');
    expect(version(path)).toBe(1);
    const log = SqliteLog.open(path);
    expect(log.lastIndex()).toBe(20);
    log.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuse to skip a version', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, 0, [v2])).toThrow(/no migration from schema version 0 to 2/);
    db.close();
  });
});
