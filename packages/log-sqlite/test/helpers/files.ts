/**
 * File helpers for tests: a log with some content, a fingerprint of a directory (names and
 * content hashes) to prove a refused file was left untouched, and an error catcher.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry } from '@raft-io/core';
import { expect } from 'vitest';
import {
  SqliteLog,
  SqliteLogError,
  type SqliteLogErrorReason,
  type SqliteLogOptions,
} from '../../src/index.js';

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
