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
 * Streaming data directories (D28, D30). With `snapshotStreaming` the log keeps only a
 * descriptor of its snapshot (size and CRC32C) and the bytes are a file in the snapshot
 * directory. Recovery reads the old snapshot where it is (the file, checked whole before the
 * state machine is done with it: a damaged or missing file is a `StorageError` and nothing is
 * written) and writes the new one the way the server will read it (`snapshotStreaming`,
 * default: as the old one was). Streamed, the order is what makes a crash harmless at any
 * point: (a) the new file is written as `.tmp`, fsynced, renamed to its final name and the
 * directory fsynced; (b) one atomic log write names it (descriptor, membership, commit,
 * compaction), and the log is synced; (c) only then are the other files removed. A crash
 * before (b) leaves the old log naming the old, untouched file (the new file is an orphan
 * that the next start removes, or the next recovery overwrites); a crash after (b) leaves the
 * new log naming a whole, durable file (a leftover old file is removed by the next start). A
 * snapshot that stays where it was (the old one already at the recovered index) keeps its
 * file: rewriting a file under the name the log already gives it would make a crash between
 * the rename and the log write a mix.
 *
 * What is lost: entries the lost majority committed that this node never received. The
 * report says where this node's log ended and what it knew was committed; any write a
 * client saw acknowledged at a higher index is gone. Recovering several survivors at once
 * is safe only with `discardUncommitted` (their kept logs are then prefixes of one committed
 * history); otherwise recover ONE survivor, the most up to date (highest last term, then
 * last index; see `inspectDataDir`), and add the others back as new, empty members.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  InvalidArgumentError,
  type Membership,
  type NodeId,
  type RaftLog,
  RaftNode,
  type SnapshotMetadata,
  StorageError,
} from '@raft-io/core';
import { type LogIdentity, SqliteLog, type SqliteLogOptions } from '@raft-io/log-sqlite';
import { checkedMembership, type MembershipInput } from './membership-input.js';
import { LOG_FILE_NAME } from './options.js';
import { ReplicatedMachine } from './replicated-machine.js';
import { type ResultCodec, valueCodec } from './result-codec.js';
import { SnapshotFiles, type StreamedFacts, snapshotFileName, writeSnapshotFile } from './snapshot-files.js';
import type { StateMachine } from './state-machine.js';
import {
  defaultStreaming,
  requireSnapshotDir,
  restoreStored,
  type StoredSnapshot,
  snapshotDirOf,
  storedFileSize,
  storedSnapshot,
  streamedWriter,
} from './stored-snapshot.js';

/** Bytes read per page while replaying entries. */
const PAGE_BYTES = 4 * 1024 * 1024;

/** Where the stopped node's log (and, with `snapshotStreaming`, its snapshot files) are. */
export interface OfflineLogOptions {
  /** The node's data directory (its `raft-log.sqlite`, and by default its `snapshots`). */
  readonly dataDir?: string;
  /**
   * The directory of its snapshot files with `snapshotStreaming`, as given to `RaftServer`.
   * Default `<dataDir>/snapshots`; needed with `log` for a streamed snapshot.
   */
  readonly snapshotDir?: string;
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
  /**
   * The stored snapshot's index and term, or null. A streamed one's (D28) also says where its
   * bytes are: the file, the size and CRC32C the log records, and the file's size on disk
   * (null when it is missing; a size that differs from `bytes` is a damaged file).
   */
  readonly snapshot: {
    readonly index: number;
    readonly term: number;
    readonly file?: string;
    readonly bytes?: number;
    readonly checksum?: number;
    readonly fileBytes?: number | null;
  } | null;
  /**
   * Whether the directory is a streaming one (`snapshotStreaming: true` on its server): the
   * stored snapshot is a streamed one's descriptor; with no snapshot, whether the snapshot
   * directory exists (a streaming server creates it). What `recover` writes by default.
   */
  readonly snapshotStreaming: boolean;
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
  /**
   * Write the recovered snapshot as a streamed one (a file in the snapshot directory, D28):
   * give the setting the server starts with. Default: as the log's snapshot is (see
   * `LogInspection.snapshotStreaming`). The old snapshot is read where it is either way, so
   * this may also change the setting.
   */
  readonly snapshotStreaming?: boolean;
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
  /** Whether the new snapshot is a streamed one, and its file (null when it is in the log). */
  readonly snapshotStreaming: boolean;
  readonly snapshotFile: string | null;
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

async function inspect(
  log: RaftLog,
  identity: LogIdentity | null,
  dir: string | null,
  stored: StoredSnapshot | null,
): Promise<LogInspection> {
  const hs = log.hardState();
  const snap: SnapshotMetadata | null = stored?.metadata ?? null;
  const last = log.lastIndex();
  // The core finds the membership in force on restart (snapshot, then membership entries);
  // built with no voters of its own, it reports none when the log records none.
  // (A log that keeps a streamed snapshot's facts itself is read by a streaming node only.)
  const native = log.snapshotMetadata()?.bytes !== undefined;
  const node = new RaftNode(
    { id: identity?.nodeId ?? 1, voters: [], ...(native ? { snapshotStreaming: true } : {}) },
    log,
  );
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
    snapshot:
      stored === null
        ? null
        : stored.kind === 'bytes'
          ? { index: stored.metadata.index, term: stored.metadata.term }
          : {
              index: stored.metadata.index,
              term: stored.metadata.term,
              file: dir === null ? stored.name : join(dir, stored.name),
              bytes: stored.metadata.bytes,
              checksum: stored.metadata.checksum,
              fileBytes: dir === null ? null : await storedFileSize(dir, stored),
            },
    snapshotStreaming: defaultStreaming(stored, dir),
    membership: membership.voters.length === 0 ? null : membership,
    uncommittedEntries: last - commit,
  };
}

/** What a stopped node's log holds: to choose which survivor to recover, and to see what it knew. */
export function inspectDataDir(options: OfflineLogOptions): Promise<LogInspection> {
  const dir = snapshotDirOf(options);
  return withLog(options, (log, identity) => inspect(log, identity, dir, storedSnapshot(log)));
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
  if (options.snapshotStreaming !== undefined && typeof options.snapshotStreaming !== 'boolean')
    throw new InvalidArgumentError('snapshotStreaming must be a boolean');
  const dir = snapshotDirOf(options);
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
    const stored = storedSnapshot(log);
    const before = await inspect(log, identity, dir, stored);
    const streaming = options.snapshotStreaming ?? before.snapshotStreaming;
    if (streaming) requireSnapshotDir(dir, 'a streamed snapshot (snapshotStreaming)');
    if (stored?.kind === 'file') {
      // Cheap checks first, so that a dry run reports a missing or cut file too.
      requireSnapshotDir(dir, 'the log’s snapshot is a streamed one');
      const size = before.snapshot?.fileBytes ?? null;
      if (size !== stored.metadata.bytes)
        throw new StorageError(
          `snapshot file ${before.snapshot?.file} ${size === null ? 'is missing' : `holds ${size} bytes`}; the log records ${stored.metadata.bytes}`,
        );
    }
    if (before.term === 0 && before.lastIndex === 0 && before.snapshot === null)
      throw new InvalidArgumentError(
        'the log holds no state: there is nothing to recover (start a new cluster instead)',
      );
    const discard = options.discardUncommitted === true;
    const end = discard ? before.commitIndex : before.lastIndex;
    if (end === 0)
      throw new InvalidArgumentError('nothing in the log is committed: there is nothing to keep');
    const from = (before.snapshot?.index ?? log.firstIndex() - 1) + 1;
    const term = log.term(end);
    // The old file stays the snapshot when it already stands at the recovered entry (see the
    // module comment); otherwise a new one is written.
    const keepFile = streaming && stored?.kind === 'file' && stored.metadata.index === end;
    const report: RecoveryReport = {
      before,
      nodeId: id,
      index: end,
      term,
      membership,
      replayedEntries: Math.max(0, end - from + 1),
      implicitlyCommitted: discard ? 0 : before.uncommittedEntries,
      discarded: discard ? before.uncommittedEntries : 0,
      snapshotStreaming: streaming,
      snapshotFile: streaming ? join(dir!, snapshotFileName({ index: end, term })) : null,
      dryRun: options.dryRun === true,
    };
    if (report.dryRun) return report;

    // The server's own machine around the user's: entries and snapshots may carry client
    // sessions (envelopes the user's state machine never sees), and the session table goes on.
    const stateMachine = new ReplicatedMachine(options.stateMachine, options.resultCodec ?? valueCodec);
    if (stored !== null) await restoreStored(stateMachine, stored, dir);
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
    const hs = log.hardState();
    const rest = {
      hardState: { term: hs.term, vote: hs.vote, commit: end },
      ...(end < before.lastIndex ? { truncateFrom: end + 1 } : {}),
      compact: { index: end, term },
    };
    const metadata = { index: end, term, membership };
    if (streaming) {
      // (a) the file whole and durable under its final name, (b) one log write names it.
      let facts: StreamedFacts;
      if (keepFile) {
        facts = { bytes: stored.metadata.bytes, checksum: stored.metadata.checksum };
      } else {
        await mkdir(dir!, { recursive: true });
        facts = await writeSnapshotFile(dir!, end, term, await stateMachine.snapshotStream());
      }
      streamedWriter(log, stored).write({
        ...rest,
        snapshot: { metadata: { ...metadata, ...facts }, data: new Uint8Array(0) },
      });
    } else {
      const data = await stateMachine.snapshot();
      if (!(data instanceof Uint8Array))
        throw new InvalidArgumentError('stateMachine.snapshot() must return a Uint8Array');
      log.write({ ...rest, snapshot: { metadata, data } });
    }
    log.sync?.();
    // (c) Only now, with the log durable, the files it no longer names go.
    if (dir !== null && (streaming || stored?.kind === 'file') && existsSync(dir)) {
      const named = streaming ? storedSnapshot(log) : null;
      await (await SnapshotFiles.open(dir, named?.kind === 'file' ? named.metadata : null)).close();
    }
    return report;
  });
}
