/**
 * Quorum-loss recovery, offline: when a majority of the voters is lost for good, force a new
 * membership on a survivor's data directory so that it (and whoever joins it) can elect a
 * leader again. hashicorp/raft's `RecoverCluster` and etcd's `--force-new-cluster` do this;
 * we follow hashicorp's way, with etcd's as an option:
 *
 * 1. Open the stopped node's log and check its identity (node id, and cluster id if given).
 * 2. Restore its last snapshot into a fresh state machine and apply every command entry
 *    after it: by default all of them, up to the last index (hashicorp: the survivor cannot
 *    know which of its entries the lost majority committed, so it keeps them all and they
 *    become committed), or with `discardUncommitted` only those up to the commit index this
 *    node knew (etcd: the rest is truncated).
 * 3. Write, in one atomic log write, a snapshot of that state at the last kept entry's own
 *    index and term, carrying the NEW membership, with the commit index at that entry, and
 *    compact the log behind it (every entry is in the snapshot now; the node restarts from
 *    the snapshot alone, so no old membership entry can be found in force again).
 *
 * Why this shape. No new entry is invented: the snapshot stands at an (index, term) that
 * this node's log already holds, so no other log can hold a different entry there (Log
 * Matching is never contradicted, unlike appending a membership entry under an old term).
 * The term and vote are kept: they only ever grow, and the next election moves on from them.
 * The high-water mark stays true: the last index and its term do not change (with
 * `discardUncommitted` the truncation lowers the mark first, as for any truncation). The
 * identity record is kept: the same cluster carries on with fewer members (as etcd's
 * `--force-new-cluster` keeps the cluster id), so the node starts with the same `clusterId`.
 *
 * What is lost: entries the lost majority committed that this node never received. The
 * report says where this node's log ended and what it knew was committed; any write a
 * client saw acknowledged at a higher index is gone. Recovering several survivors at once
 * is safe only with `discardUncommitted` (their kept logs are then prefixes of one committed
 * history); otherwise recover ONE survivor, the most up to date (highest last term, then
 * last index; see `inspectDataDir`), and add the others back as new, empty members.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  InvalidArgumentError,
  type Membership,
  type NodeId,
  type RaftLog,
  RaftNode,
  type SnapshotMetadata,
} from '@raft-io/core';
import { type LogIdentity, SqliteLog, type SqliteLogOptions } from '@raft-io/log-sqlite';
import { checkedMembership, type MembershipInput } from './membership-input.js';
import { LOG_FILE_NAME } from './options.js';
import { ReplicatedMachine } from './replicated-machine.js';
import { type ResultCodec, valueCodec } from './result-codec.js';
import type { StateMachine } from './state-machine.js';

/** Bytes read per page while replaying entries. */
const PAGE_BYTES = 4 * 1024 * 1024;

/** Where the stopped node's log is. */
export interface OfflineLogOptions {
  /** The node's data directory (its `raft-log.sqlite`). */
  readonly dataDir?: string;
  /** Or the log itself (tests, other stores); wins over `dataDir`. Not closed. */
  readonly log?: RaftLog;
  /** Options of the `SqliteLog` opened under `dataDir` (never created: it must exist). */
  readonly sqlite?: Omit<SqliteLogOptions, 'identity' | 'create'>;
}

/** What a stopped node's log holds (`inspectDataDir`), to choose the survivor to recover. */
export interface LogInspection {
  /** The identity recorded in the log, if any. */
  readonly nodeId: NodeId | null;
  readonly clusterId: number | null;
  readonly term: number;
  readonly vote: NodeId | null;
  /** The highest index this node knew to be committed. */
  readonly commitIndex: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** Term of the last entry: with `lastIndex`, how up to date the log is (compare term first). */
  readonly lastTerm: number;
  /** The stored snapshot's index and term, or null. */
  readonly snapshot: { readonly index: number; readonly term: number } | null;
  /**
   * The newest membership in the log (the one in force on restart), or null when the log
   * records none (a log of a new cluster whose members came from the configuration).
   */
  readonly membership: Membership | null;
  /** Entries after `commitIndex`: kept and committed by a recovery, or dropped with `discardUncommitted`. */
  readonly uncommittedEntries: number;
}

/** Options of `RaftServer.recover`. */
export interface RecoverOptions extends OfflineLogOptions, MembershipInput {
  /** This node's id. Default: the id recorded in the log; when both exist they must match. */
  readonly id?: NodeId;
  /** When given, the cluster id recorded in the log must be this one. */
  readonly clusterId?: number;
  /**
   * A fresh instance of the state machine: the log's snapshot is restored into it and the
   * kept entries applied, then its `snapshot()` becomes the new snapshot. Discard it
   * afterwards (as hashicorp's `RecoverCluster` says of its FSM): the server restores its
   * own from the log on start.
   */
  readonly stateMachine: StateMachine<unknown>;
  /**
   * The result codec the servers use (`RaftServerOptions.resultCodec`), for the results the
   * client-session table keeps. Default `valueCodec`.
   */
  readonly resultCodec?: ResultCodec<unknown>;
  /**
   * Drop the entries after the commit index this node knew, instead of keeping (and so
   * committing) them. Default false. Set it when recovering several survivors at once.
   */
  readonly discardUncommitted?: boolean;
  /** Check everything and report what would be done, but write nothing. Default false. */
  readonly dryRun?: boolean;
}

/** What `RaftServer.recover` did (or, with `dryRun`, would do). */
export interface RecoveryReport {
  /** The log before. */
  readonly before: LogInspection;
  readonly nodeId: NodeId;
  /** The snapshot the node starts from: its index and term (an entry of the old log). */
  readonly index: number;
  readonly term: number;
  /** The membership forced on the node. */
  readonly membership: Membership;
  /** Entries after the old snapshot applied into the new one. */
  readonly replayedEntries: number;
  /** Entries after the known commit index that were kept, and are now committed. */
  readonly implicitlyCommitted: number;
  /** Entries after the known commit index that were dropped (`discardUncommitted`). */
  readonly discarded: number;
  readonly dryRun: boolean;
}

/** Run `fn` on the offline log (opened, checked, closed), or on `options.log`. */
async function withLog<T>(
  options: OfflineLogOptions,
  fn: (log: RaftLog, identity: LogIdentity | null) => Promise<T> | T,
): Promise<T> {
  if (options.log) return fn(options.log, null);
  if (typeof options.dataDir !== 'string' || options.dataDir === '')
    throw new InvalidArgumentError('give dataDir (the stopped node’s data directory) or log');
  const path = join(options.dataDir, LOG_FILE_NAME);
  if (!existsSync(path)) throw new InvalidArgumentError(`no Raft log at ${path}`);
  // Opened without an identity: the one recorded is compared here, and nothing is recorded.
  const log = SqliteLog.open(path, { ...options.sqlite, groupCommit: false, create: false });
  try {
    return await fn(log, log.identity());
  } finally {
    log.close();
  }
}

function inspect(log: RaftLog, identity: LogIdentity | null): LogInspection {
  const hs = log.hardState();
  const snap: SnapshotMetadata | null = log.snapshotMetadata();
  const last = log.lastIndex();
  // The core finds the membership in force on restart (snapshot, then membership entries);
  // built with no voters of its own, it reports none when the log records none.
  const node = new RaftNode({ id: identity?.nodeId ?? 1, voters: [] }, log);
  const membership = node.membership();
  const commit = Math.min(Math.max(hs.commit, snap?.index ?? 0), last);
  return {
    nodeId: identity?.nodeId ?? null,
    clusterId: identity?.clusterId ?? null,
    term: hs.term,
    vote: hs.vote,
    commitIndex: commit,
    firstIndex: log.firstIndex(),
    lastIndex: last,
    lastTerm: log.term(last),
    snapshot: snap ? { index: snap.index, term: snap.term } : null,
    membership: membership.voters.length === 0 ? null : membership,
    uncommittedEntries: last - commit,
  };
}

/** What a stopped node's log holds: to choose which survivor to recover, and to see what it knew. */
export function inspectDataDir(options: OfflineLogOptions): Promise<LogInspection> {
  return withLog(options, inspect);
}

/**
 * Force a new membership on a stopped node's log after the loss of a quorum (see the module
 * comment for what it does and what is lost). Start the node afterwards as usual, with the
 * same id and cluster id; with itself as the only voter it leads at once, and new members
 * are then added as usual.
 */
export function recover(options: RecoverOptions): Promise<RecoveryReport> {
  if (options === null || typeof options !== 'object')
    throw new InvalidArgumentError('recover needs options');
  const sm = options.stateMachine as Partial<StateMachine<unknown>> | undefined;
  if (
    !sm ||
    typeof sm.apply !== 'function' ||
    typeof sm.snapshot !== 'function' ||
    typeof sm.restore !== 'function'
  ) {
    throw new InvalidArgumentError('recover needs a fresh stateMachine (apply, snapshot, restore)');
  }
  return withLog(options, async (log, identity) => {
    const id = options.id ?? identity?.nodeId;
    if (id === undefined)
      throw new InvalidArgumentError('the log records no node id: give the id of the node it belongs to');
    if (identity && identity.nodeId !== id)
      throw new InvalidArgumentError(`the log belongs to node ${identity.nodeId}, not ${id}`);
    if (identity && options.clusterId !== undefined && identity.clusterId !== options.clusterId)
      throw new InvalidArgumentError(
        `the log belongs to cluster ${identity.clusterId}, not ${options.clusterId}`,
      );
    const membership = checkedMembership(id, options);
    const before = inspect(log, identity);
    if (before.term === 0 && before.lastIndex === 0 && before.snapshot === null)
      throw new InvalidArgumentError(
        'the log holds no state: there is nothing to recover (start a new cluster instead)',
      );
    const discard = options.discardUncommitted === true;
    const end = discard ? before.commitIndex : before.lastIndex;
    if (end === 0)
      throw new InvalidArgumentError('nothing in the log is committed: there is nothing to keep');
    const from = (before.snapshot?.index ?? log.firstIndex() - 1) + 1;
    const report = {
      before,
      nodeId: id,
      index: end,
      term: log.term(end),
      membership,
      replayedEntries: Math.max(0, end - from + 1),
      implicitlyCommitted: discard ? 0 : before.uncommittedEntries,
      discarded: discard ? before.uncommittedEntries : 0,
      dryRun: options.dryRun === true,
    };
    if (report.dryRun) return report;

    // The server's own machine around the user's: entries and snapshots may carry client
    // sessions (envelopes the user's state machine never sees), and the session table goes on.
    const stateMachine = new ReplicatedMachine(options.stateMachine, options.resultCodec ?? valueCodec);
    const stored = log.snapshot();
    if (stored) await stateMachine.restore(stored.data);
    for (let i = from; i <= end; ) {
      const page = log.entries(i, end + 1, PAGE_BYTES);
      for (const e of page) {
        if (e.type !== 'command') continue;
        // A throw is that command's deterministic result (see StateMachine): it happened on
        // every node that applied it, and the state is as they left it (apply reports it).
        await stateMachine.apply(e.data, e.index);
      }
      i += page.length;
    }
    const data = await stateMachine.snapshot();
    if (!(data instanceof Uint8Array))
      throw new InvalidArgumentError('stateMachine.snapshot() must return a Uint8Array');
    const hs = log.hardState();
    log.write({
      hardState: { term: hs.term, vote: hs.vote, commit: end },
      snapshot: { metadata: { index: end, term: report.term, membership }, data },
      ...(end < before.lastIndex ? { truncateFrom: end + 1 } : {}),
      compact: { index: end, term: report.term },
    });
    log.sync?.();
    return report;
  });
}
