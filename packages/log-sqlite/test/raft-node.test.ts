/**
 * `RaftNode` from core on a `SqliteLog`: a single voter elects itself, commits, takes a
 * snapshot and compacts; after the log is closed and reopened, a new node resumes the same
 * term, vote, commit and log, and keeps appending after it (a restart after a crash).
 */
import { join } from 'node:path';
import { type Action, RaftConfig, RaftNode } from '@raft-io/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLog } from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(removeTempDirs);

function elect(node: RaftNode): void {
  for (let i = 0; i < 100 && !node.isLeader(); i++) node.step({ type: 'tick' });
  expect(node.isLeader()).toBe(true);
}

const applied = (actions: Action[]) => actions.filter((a) => a.type === 'apply').map((a) => a.index);

describe('RaftNode on SqliteLog', () => {
  it('resumes term, vote and log after the log is reopened', () => {
    const path = join(tempDir(), 'node.db');
    const log = SqliteLog.open(path);
    const node = new RaftNode(RaftConfig.single(1), log);
    elect(node);
    const indexes: number[] = [];
    for (let i = 0; i < 20; i++) {
      indexes.push(...applied(node.step({ type: 'propose', command: new TextEncoder().encode(`cmd ${i}`) })));
    }
    const last = node.lastIndex();
    expect(indexes.at(-1)).toBe(last);
    node.step({ type: 'snapshot', index: 10, data: new TextEncoder().encode('state at 10') });
    const term = node.term();
    const stored = log.hardState();
    expect(stored).toMatchObject({ term, vote: 1 });
    expect(log.snapshotMetadata()?.index).toBe(10);
    log.close();

    const reopened = SqliteLog.open(path);
    expect(reopened.hardState()).toEqual(stored);
    expect(reopened.lastIndex()).toBe(last);
    const restarted = new RaftNode(RaftConfig.single(1), reopened);
    expect(restarted.term()).toBe(term);
    expect(restarted.lastIndex()).toBe(last);
    elect(restarted);
    expect(restarted.term()).toBeGreaterThan(term);
    const actions = restarted.step({ type: 'propose', command: new TextEncoder().encode('after restart') });
    const accepted = actions.find((a) => a.type === 'accepted');
    expect(accepted).toMatchObject({ firstIndex: restarted.lastIndex() });
    expect(restarted.lastIndex()).toBeGreaterThan(last);
    expect(new TextDecoder().decode(reopened.snapshot()!.data)).toBe('state at 10');
    reopened.close();
  });
});
