/**
 * Node identity (issue 13): a log records the node and cluster it belongs to, and opening
 * it as another node or cluster fails with `LogIdentityMismatchError` and changes no file.
 * A data directory opened as the wrong node would otherwise vote and lead with another
 * node's term, vote and log.
 */
import { join } from 'node:path';
import { InvalidConfigError } from '@raft-io/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LogIdentityMismatchError, SqliteLog } from '../src/index.js';
import { entries, expectLogError, fingerprint } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(removeTempDirs);

const node1 = { nodeId: 1, clusterId: 7 };

function created(identity = node1): { dir: string; path: string } {
  const dir = tempDir();
  const path = join(dir, 'log.db');
  const log = SqliteLog.open(path, { identity });
  log.write({ hardState: { term: 5, vote: 1, commit: 0 }, entries: entries(1, 3, 5) });
  log.close();
  return { dir, path };
}

describe('a log records its identity at creation', () => {
  it('reopens as the same node, and without an identity (nothing checked), reporting the recorded one', () => {
    const { path } = created();
    const same = SqliteLog.open(path, { identity: node1 });
    expect(same.identity()).toEqual(node1);
    same.close();
    const unchecked = SqliteLog.open(path);
    expect(unchecked.identity()).toEqual(node1);
    unchecked.close();
  });

  it('a log without one records the first identity it is opened with, and holds to it', () => {
    const dir = tempDir();
    const path = join(dir, 'log.db');
    const log = SqliteLog.open(path);
    expect(log.identity()).toBeNull();
    log.close();
    SqliteLog.open(path, { identity: { nodeId: 4, clusterId: 7 } }).close();
    expectLogError(() => SqliteLog.open(path, { identity: node1 }), 'LOG_IDENTITY_MISMATCH');
  });
});

describe('opening a log as another node or cluster', () => {
  for (const [what, identity] of [
    ['another node', { nodeId: 2, clusterId: 7 }],
    ['another cluster', { nodeId: 1, clusterId: 8 }],
  ] as const) {
    it(`as ${what} fails with LOG_IDENTITY_MISMATCH and changes nothing`, () => {
      // Init: node 1 of cluster 7, with a vote.
      const { dir, path } = created();
      const before = fingerprint(dir);
      // Act
      const error = expectLogError(() => SqliteLog.open(path, { identity }), 'LOG_IDENTITY_MISMATCH');
      // Check: a typed error naming both identities; every file as it was; still node 1's.
      expect(error).toBeInstanceOf(LogIdentityMismatchError);
      expect((error as LogIdentityMismatchError).recorded).toEqual(node1);
      expect((error as LogIdentityMismatchError).requested).toEqual(identity);
      expect(error.message).toMatch(/belongs to node 1 of cluster 7/);
      expect(fingerprint(dir)).toEqual(before);
      const log = SqliteLog.open(path, { identity: node1 });
      expect(log.hardState()).toEqual({ term: 5, vote: 1, commit: 0 });
      log.close();
    });
  }

  it('an identity row changed on disk fails its checksum (LOG_CORRUPT), so it cannot be rewritten to pass', () => {
    const { path } = created();
    const db = new Database(path);
    db.exec('UPDATE identity SET node_id = 2');
    db.close();
    expectLogError(() => SqliteLog.open(path, { identity: { nodeId: 2, clusterId: 7 } }), 'LOG_CORRUPT');
  });

  it('rejects a malformed identity option with InvalidConfigError naming the field', () => {
    const path = join(tempDir(), 'log.db');
    for (const [identity, field] of [
      [{ nodeId: 0, clusterId: 1 }, 'identity.nodeId'],
      [{ nodeId: 1.5, clusterId: 1 }, 'identity.nodeId'],
      [{ nodeId: 1, clusterId: -1 }, 'identity.clusterId'],
      [{ nodeId: 1, clusterId: 2 ** 32 }, 'identity.clusterId'],
      ['node-1', 'identity'],
    ] as const) {
      let caught: unknown;
      try {
        SqliteLog.open(path, { identity: identity as never });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidConfigError);
      expect((caught as InvalidConfigError).field).toBe(field);
    }
  });
});
