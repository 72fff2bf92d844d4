/**
 * A single-node Raft on a SQLite log, restarted: the first run elects itself and commits
 * three commands; the second run, on the same file, resumes the term, vote and log and
 * keeps going. Run: `pnpm example` in this package (or pass a path for the log file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Action, RaftConfig, RaftNode } from '@raft-io/core';
import { SqliteLog } from '@raft-io/log-sqlite';

const dir = process.argv[2] === undefined ? mkdtempSync(join(tmpdir(), 'raft-sqlite-example-')) : undefined;
const path = process.argv[2] ?? join(dir!, 'node-1.db');

function carryOut(actions: Action[]): void {
  for (const action of actions) {
    if (action.type === 'apply') {
      console.log(
        `  apply #${action.index} (term ${action.term}): ${new TextDecoder().decode(action.command)}`,
      );
    }
  }
}

function run(label: string, commands: string[]): void {
  // synchronous FULL: every write is on disk when it returns. The identity is recorded at
  // creation and checked on every later open: node 2 could not start on this file.
  const log = SqliteLog.open(path, { identity: { nodeId: 1, clusterId: 1 } });
  try {
    const node = new RaftNode(RaftConfig.single(1), log);
    console.log(`${label}: opened ${path} at term ${node.term()}, last index ${node.lastIndex()}`);
    while (!node.isLeader()) carryOut(node.step({ type: 'tick' }));
    console.log(`  leader of term ${node.term()}`);
    for (const command of commands)
      carryOut(node.step({ type: 'propose', command: new TextEncoder().encode(command) }));
    console.log(`  hard state on disk: ${JSON.stringify(log.hardState())}`);
  } finally {
    log.close();
  }
}

try {
  run('first run', ['set x 1', 'set y 2', 'del x']);
  run('after a restart', ['set z 3']);
} finally {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}
