/**
 * The operations commands of `kv` (see `ops-args.ts` for their options and the operations
 * guide in raft-io's docs for when to use each):
 *
 * - `kv backup`: download `GET /backup` from a node into a file, checked whole on the way
 *   (only a complete backup with a matching SHA-256 is renamed into place);
 * - `kv restore`: seed the data directory of one member of a NEW cluster from a backup (run
 *   once per member, then start each with `kv node --cluster-id <new id>`);
 * - `kv recover`: after the loss of a quorum, force a new membership on a stopped
 *   survivor's data directory;
 * - `kv inspect`: what a stopped node's log holds (to pick the survivor to recover).
 *
 * Each prints one JSON object on stdout: what it did.
 */
import { Readable } from 'node:stream';
import { RaftServer, restoreBackup, saveBackup } from 'raft-io';
import { KvStateMachine } from './kv-state-machine.js';
import { parseBackupArgs, parseInspectArgs, parseRecoverArgs, parseRestoreArgs } from './ops-args.js';

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function runBackup(argv: string[]): Promise<void> {
  const args = parseBackupArgs(argv, process.env);
  const res = await fetch(`${args.url}/backup${args.local ? '?local=1' : ''}`, {
    headers: args.statusToken ? { authorization: `Bearer ${args.statusToken}` } : {},
  });
  if (!res.ok || res.body === null) {
    throw new Error(`${args.url}/backup answered ${res.status}: ${await res.text()}`);
  }
  const info = await saveBackup(Readable.fromWeb(res.body as never), args.out);
  print({ file: args.out, ...info });
}

export async function runRestore(argv: string[]): Promise<void> {
  const args = parseRestoreArgs(argv);
  const report = await restoreBackup({
    backup: args.backup,
    dataDir: args.dataDir,
    id: args.id,
    clusterId: args.clusterId,
    voters: args.voters,
    learners: args.learners,
    memberInfo: args.memberInfo,
    // The state is decoded once before anything is written: a backup of another app is refused.
    stateMachine: new KvStateMachine(),
  });
  print({ dataDir: args.dataDir, ...report });
}

export async function runRecover(argv: string[]): Promise<void> {
  const args = parseRecoverArgs(argv);
  const report = await RaftServer.recover({
    dataDir: args.dataDir,
    ...(args.id !== undefined ? { id: args.id } : {}),
    ...(args.clusterId !== undefined ? { clusterId: args.clusterId } : {}),
    voters: args.voters,
    learners: args.learners,
    memberInfo: args.memberInfo,
    stateMachine: new KvStateMachine(),
    discardUncommitted: args.discardUncommitted,
    dryRun: args.dryRun,
  });
  print({ dataDir: args.dataDir, ...report });
}

export async function runInspect(argv: string[]): Promise<void> {
  const args = parseInspectArgs(argv);
  print({ dataDir: args.dataDir, ...(await RaftServer.inspect({ dataDir: args.dataDir })) });
}
