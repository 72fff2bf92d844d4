/**
 * File helpers for tests: a log with some content, a fingerprint of a directory (names and
 * content hashes) to prove a refused file was left untouched, and an error catcher.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry, RaftLog } from '@raft-io/core';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import {
  MAX_LOG_VALUE_BYTES,
  SqliteLog,
  SqliteLogError,
  type SqliteLogErrorReason,
  type SqliteLogOptions,
} from '../../src/index.js';
import { APPLICATION_ID, MIGRATIONS, migrate } from '../../src/schema.js';

export function entries(from: number, to: number, term: number, size = 100): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) {
    out.push({ index: i, term, type: 'command', data: new Uint8Array(size).fill(i % 256) });
  }
  return out;
}

/** Create a closed log at `path` holding `count` entries of `size` bytes, a hard state and a snapshot. */
export function writeLog(path: string, count = 200, size = 100, options: SqliteLogOptions = {}): void {
  const log = SqliteLog.open(path, options);
  log.write({ hardState: { term: 3, vote: 2, commit: count }, entries: entries(1, count, 3, size) });
  log.write({
    snapshot: {
      metadata: {
        index: count,
        term: 3,
        membership: { voters: [1, 2, 3], learners: [], outgoingVoters: [] },
      },
      data: new Uint8Array(5000).fill(7),
    },
  });
  log.close();
}

/**
 * A log as version 1 of this package (no checksums, no high-water mark) left it, closed:
 * hard state (3, 2, 40), compaction point (10, 3), entries 11..50 of term 3 (every fifth
 * empty, data byte = index), and a snapshot at 10 with data [4, 5, 6].
 */
export function writeVersion1Log(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`application_id = ${APPLICATION_ID}`);
  migrate(db, 0, MIGRATIONS.slice(0, 1));
  db.exec(`
    UPDATE hard_state SET term = 3, vote = 2, commit_index = 40;
    UPDATE compaction SET idx = 10, term = 3;
    INSERT INTO snapshot_meta (id, idx, term, membership)
      VALUES (0, 10, 3, '{"voters":[1,2,3],"learners":[],"outgoingVoters":[]}');
    INSERT INTO snapshot_data (id, data) VALUES (0, x'040506');
  `);
  const insert = db.prepare('INSERT INTO entries (idx, term, type, data) VALUES (?, 3, ?, ?)');
  for (let i = 11; i <= 50; i++) insert.run(i, i % 5 === 0 ? 1 : 0, new Uint8Array(10).fill(i % 256));
  db.close();
}

/** Names and SHA-256 of every file in `dir`. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    out[name] = createHash('sha256')
      .update(readFileSync(join(dir, name)))
      .digest('hex');
  }
  return out;
}

/** Run `fn`, expect a `SqliteLogError` with `reason`, and return it. */
export function expectLogError(fn: () => unknown, reason: SqliteLogErrorReason): SqliteLogError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected SqliteLogError ${reason}`).toBeInstanceOf(SqliteLogError);
  const error = caught as SqliteLogError;
  expect(error.reason, error.message).toBe(reason);
  expect(error.code).toBe('STORAGE');
  return error;
}

/**
 * Write one entry to `log`, then one whose data is a byte over `MAX_LOG_VALUE_BYTES`: it must
 * be refused with `LOG_INVALID_WRITE` and change nothing, and the log must write on.
 */
export function expectOversizedValueRefused(log: RaftLog): void {
  log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: entries(1, 1, 1) });
  const huge = Buffer.allocUnsafe(MAX_LOG_VALUE_BYTES + 1);
  const error = expectLogError(
    () =>
      log.write({
        hardState: { term: 1, vote: 1, commit: 1 },
        entries: [{ index: 2, term: 1, type: 'command', data: huge }],
      }),
    'LOG_INVALID_WRITE',
  );
  expect(error.message).toContain('larger than SQLite allows');
  expect(log.hardState()).toEqual({ term: 1, vote: 1, commit: 0 });
  expect(log.lastIndex()).toBe(1);
  log.write({ entries: entries(2, 2, 1) });
  expect(log.lastIndex()).toBe(2);
}
