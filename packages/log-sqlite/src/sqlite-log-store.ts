/**
 * `SqliteLogStore`: the durable logs of many Raft groups in one SQLite file (multi-Raft: one
 * host runs a replica of thousands of groups). `store.group(id)` is a `RaftLog` for group `id`
 * with everything `SqliteLog` guarantees (each write validated in full and one transaction; a
 * CRC32C in every row, bound to its group; an in-memory tail), and the store adds what one
 * file for all groups is for: one fsync of the WAL makes every group's writes durable. Writes
 * commit without an fsync (group commit); `sync()` fsyncs now, and `syncAsync()` from any
 * number of groups in one turn of the event loop joins one fsync on the thread pool (one in
 * flight at a time; what is written while it runs goes into the next): one durable write per
 * driver batch across groups.
 *
 * One transaction per batch, too: the first write after a sync opens a SQLite transaction,
 * every group's write until the next sync is a savepoint in it (all-or-nothing per write, as
 * for `SqliteLog`), and the sync commits it just before its fsync. A commit per group write
 * cost a WAL append of every page it touched; now the pages that groups share are written
 * once per batch. Nothing is lost by waiting: no write counts as durable before the fsync
 * that follows the commit. If SQLite gives up the whole transaction (it does on a full disk
 * or an I/O error), the store fails and no write of the batch is ever reported durable.
 *
 * Integrity as for a single log: one writer per store (`<store>.lock`, see `log-lock.ts`), the
 * file checked on open (header, schema, `quick_check`, every group's rows and checksums), the
 * host's identity recorded and checked, and a high-water mark per group outside the WAL
 * (`<store>.hwm`, see `group-marks.ts`): a store that lost durable state of any group is
 * refused with `LOG_ROLLED_BACK`, and a group deleted by a crash-interrupted `deleteGroup` is
 * finished on the next open.
 */
import { closeSync, existsSync, fdatasync, fdatasyncSync, fstatSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  CompactedError,
  type Entry,
  type HardState,
  InvalidArgumentError,
  type LogWrite,
  type RaftLog,
  type Snapshot,
  type SnapshotMetadata,
  UnavailableError,
} from '@raft-io/core';
import type Database from 'better-sqlite3';
import {
  compactionCrc,
  entryCrc,
  hardStateCrc,
  identityCrc,
  snapshotDataCrc,
  snapshotMetaCrc,
} from './checksums.js';
import { encodeMembership, entryFromRow, entryTypeCode, toBytes } from './codec.js';
import type { NewFileKind } from './create-log-file.js';
import { type LogIdentity, SqliteLogError, toSqliteLogError } from './errors.js';
import { STORE_APPLICATION_ID } from './file-format.js';
import { fsyncPath } from './fs-sync.js';
import { GroupMarkFile, type GroupMarksRead, readGroupMarks } from './group-marks.js';
import { type HighWaterMark, markBehind } from './high-water-mark.js';
import { TRANSACTION_PER_WRITE } from './internal-options.js';
import { type LoadedLog, LogCache, type WritePlan } from './log-cache.js';
import { assertNotOpenHere, LogLock } from './log-lock.js';
import {
  checkHeader,
  checkIdentity,
  checkRequiredTables,
  checkSchema,
  type FileWords,
  openDatabase,
  prepareFile,
  readOnlyCheck,
} from './open-database.js';
import { type ResolvedSqliteLogOptions, resolveSqliteLogOptions, type SqliteLogOptions } from './options.js';
import { STORE_MIGRATIONS, STORE_REQUIRED_TABLES } from './store-schema.js';
import { loadStoreState } from './store-state.js';
import { prepareStoreStatements, type StoreStatements } from './store-statements.js';

/** Options of `SqliteLogStore.open` (those of `SqliteLog` that apply; commits are always group commits). */
export interface SqliteLogStoreOptions
  extends Pick<
    SqliteLogOptions,
    'quickCheck' | 'pageCacheKiB' | 'create' | 'highWaterMarkFlushMs' | 'identity'
  > {
  /** Most recent entries each group keeps in memory. Default 64; 0 turns the cache off. */
  readonly tailCacheEntries?: number;
  /** Most bytes of entry data each group's tail cache holds. Default 1 MiB (1048576 bytes). */
  readonly tailCacheBytes?: number;
}

/** Counters of a store (for benchmarks and metrics). */
export interface SqliteLogStoreStats {
  /** `write()` calls of all groups. */
  readonly writes: number;
  /** fsyncs of the WAL (each covers every group's writes made before it). */
  readonly walSyncs: number;
  /** SQLite transactions committed for writes (one per batch, however many groups wrote in it). */
  readonly batches: number;
  /** fsyncs of the mark file. */
  readonly markFlushes: number;
  /** Groups the store holds. */
  readonly groups: number;
}

/** The file kind of a store: its own application id, schema, and mark file. */
const STORE_FILE: NewFileKind = Object.freeze({
  applicationId: STORE_APPLICATION_ID,
  migrations: STORE_MIGRATIONS,
  checkNoMarkLeft(path: string): void {
    const file = groupMarksPath(path);
    if (!existsSync(file)) return;
    const read = readGroupMarks(file);
    for (const [group, r] of read.records) {
      if (!r.tombstone && (r.mark.term !== 0 || r.mark.lastIndex !== 0)) {
        throw new SqliteLogError(
          'LOG_ROLLED_BACK',
          path,
          `the store file is missing, but its high-water mark ${file} says group ${group} stored term ${r.mark.term} ` +
            `and entries up to ${r.mark.lastIndex}: the store was deleted or moved; a new empty one would forget them`,
        );
      }
    }
  },
  createMark(path: string): void {
    const file = groupMarksPath(path);
    const fd = openSync(file, 'w', 0o600);
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncPath(dirname(file));
  },
});

/** The file name of the per-group marks of the store at `path`. */
export const groupMarksPath = (path: string): string => `${path}.hwm`;

/** What inspecting a store found (see `inspectStore`). */
interface StoreInspection {
  readonly groups: ReadonlyMap<number, LoadedLog>;
  readonly identity: LogIdentity | null;
  readonly marks: GroupMarksRead;
  /** Groups whose deletion a crash cut short: finished on open. */
  readonly deleting: readonly number[];
}

const isGroupId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/**
 * Check `path` (prepared) through a read-only connection, so a refused file is left byte for
 * byte: schema version, `quick_check`, tables and exact schema, every group's rows, the
 * identity, and every group against its high-water mark.
 */
function inspectStore(path: string, options: ResolvedSqliteLogOptions): StoreInspection {
  const newest = STORE_MIGRATIONS[STORE_MIGRATIONS.length - 1]!.version;
  return readOnlyCheck(path, newest, options.quickCheck, STORE_WORDS, (db) => {
    checkRequiredTables(db, path, STORE_REQUIRED_TABLES);
    checkSchema(db, path, STORE_MIGRATIONS);
    const state = loadStoreState(db, path, options.quickCheck);
    checkIdentity(path, options.identity, state.identity);
    const file = groupMarksPath(path);
    let marks: GroupMarksRead;
    try {
      marks = readGroupMarks(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new SqliteLogError(
        'LOG_CORRUPT',
        path,
        `its high-water mark file ${file} is missing: the store's files were not copied or moved together`,
      );
    }
    const entryAt = db
      .prepare<[number, number], [number, number, number, Buffer, number]>(
        'SELECT idx, term, type, data, crc FROM entries WHERE grp = ? AND idx = ?',
      )
      .raw();
    const deleting: number[] = [];
    for (const [group, s] of state.groups) {
      const record = marks.records.get(group);
      if (record === undefined) {
        throw new SqliteLogError(
          'LOG_CORRUPT',
          path,
          `group ${group} has no valid high-water mark in ${file} (missing or damaged)`,
        );
      }
      if (record.tombstone) {
        deleting.push(group);
        continue;
      }
      const problem = markBehind(record.mark, { ...s.hardState, ...s }, (index) => {
        const row = entryAt.get(group, index);
        if (row === undefined)
          throw new SqliteLogError('LOG_CORRUPT', path, `group ${group}: entry ${index} is missing`);
        return entryFromRow(row, path, group).term;
      });
      if (problem !== null) throw rolledBack(path, `group ${group} ${problem}`);
    }
    for (const [group, r] of marks.records) {
      // A mark that remembers state of a group the database lost.
      if (!state.groups.has(group) && !r.tombstone && (r.mark.term !== 0 || r.mark.lastIndex !== 0)) {
        throw rolledBack(
          path,
          `group ${group} is missing, but its mark says term ${r.mark.term} and entries up to ${r.mark.lastIndex} were stored`,
        );
      }
    }
    return { groups: state.groups, identity: state.identity, marks, deleting };
  });
}

const STORE_WORDS: FileWords = {
  schema: 'store schema version',
  id: 'store id',
  doing: 'checking the store',
};

function rolledBack(path: string, problem: string): SqliteLogError {
  return new SqliteLogError(
    'LOG_ROLLED_BACK',
    path,
    `the store is behind its high-water marks: ${problem}. Durable state was lost: the -wal file was ` +
      'deleted, truncated or damaged, or the database was replaced by an older copy. Restore all of the ' +
      "store's files together, or remove the host and add its groups' replicas back as new members",
  );
}

/** A sync in flight or waiting to start, and the groups' states it will make durable. */
interface PendingSync {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class SqliteLogStore {
  /** The database file, as an absolute path. */
  readonly path: string;
  /** The options in force, defaults filled in (`groupCommit` is always on). */
  readonly options: ResolvedSqliteLogOptions;

  private db: Database.Database | null;
  private readonly lock: LogLock;
  private readonly marks: GroupMarkFile;
  /** @internal */
  readonly stmts: StoreStatements;
  /** Groups the database holds, with their open log (null until `group(id)` opens it). */
  private readonly groupsHeld = new Map<number, LoadedLog | SqliteGroupLog>();
  private recordedIdentity: LogIdentity | null;
  /** The error that stopped the store (a failed write or fsync); it takes no more writes. */
  failure: unknown;
  /** Writes so far (all groups), and the newest write known durable. */
  private writeNo = 0;
  private durableNo = 0;
  /** Groups written since the last sync started. */
  private dirty = new Set<SqliteGroupLog>();
  private inFlight: { readonly covers: number; readonly promise: Promise<void> } | null = null;
  private next: PendingSync | null = null;
  private nextScheduled = false;
  private walFd: number | null = null;
  private walIno = 0;
  private retiredFds: number[] = [];
  private counters = { writes: 0, walSyncs: 0, batches: 0 };
  /** The transaction of the current batch is open (see the module comment). */
  private batchOpen = false;
  /** The benchmark's comparison run (see `internal-options.ts`): no batch transaction. */
  private readonly transactionPerWrite: boolean;
  private readonly beginStmt: Database.Statement;
  private readonly commitStmt: Database.Statement;

  /**
   * Open the store at `path`, creating it if it does not exist (unless `create: false`).
   * Throws `SqliteLogError` as `SqliteLog.open` does (corrupt, foreign, newer schema, behind a
   * group's high-water mark, another identity, held by another process).
   */
  static open(path: string, options: SqliteLogStoreOptions = {}): SqliteLogStore {
    const resolved = resolveSqliteLogOptions({
      ...options,
      groupCommit: true,
      tailCacheEntries: options.tailCacheEntries ?? 64,
      tailCacheBytes: options.tailCacheBytes ?? 1024 * 1024,
    });
    const file = resolve(path);
    assertNotOpenHere(file);
    if (existsSync(file) || !resolved.create) checkHeader(file, false, STORE_FILE);
    const lock = LogLock.acquire(file);
    let db: Database.Database | undefined;
    try {
      prepareFile(file, resolved.create, STORE_FILE);
      const inspection = inspectStore(file, resolved);
      db = openDatabase(file, resolved, STORE_MIGRATIONS, () => STORE_REQUIRED_TABLES);
      const perWrite = (options as { [TRANSACTION_PER_WRITE]?: boolean })[TRANSACTION_PER_WRITE] === true;
      return new SqliteLogStore(file, resolved, db, lock, inspection, perWrite);
    } catch (error) {
      db?.close();
      lock.release();
      throw toSqliteLogError(file, error, 'loading the store');
    }
  }

  private constructor(
    path: string,
    options: ResolvedSqliteLogOptions,
    db: Database.Database,
    lock: LogLock,
    inspection: StoreInspection,
    transactionPerWrite: boolean,
  ) {
    this.path = path;
    this.transactionPerWrite = transactionPerWrite;
    this.options = options;
    this.db = db;
    this.lock = lock;
    this.stmts = prepareStoreStatements(db);
    this.beginStmt = db.prepare('BEGIN');
    this.commitStmt = db.prepare('COMMIT');
    const live = new Map<number, { mark: HighWaterMark; pair: number; slot: number }>();
    for (const group of inspection.groups.keys()) {
      const r = inspection.marks.records.get(group)!;
      if (!r.tombstone) live.set(group, r);
    }
    // Deletions a crash cut short keep their tombstones until their rows are gone (below).
    for (const group of inspection.deleting) live.set(group, inspection.marks.records.get(group)!);
    this.marks = new GroupMarkFile(
      groupMarksPath(path),
      inspection.marks,
      live,
      options.highWaterMarkFlushMs,
    );
    this.recordedIdentity = inspection.identity;
    try {
      for (const [group, state] of inspection.groups) {
        if (!inspection.deleting.includes(group)) this.groupsHeld.set(group, state);
      }
      if (inspection.deleting.length > 0) {
        db.transaction(() => {
          for (const group of inspection.deleting) for (const s of this.stmts.deleteGroup) s.run(group);
        })();
        fdatasyncSync(this.walDescriptor());
        for (const group of inspection.deleting) this.marks.release(group);
      }
      const requested = options.identity;
      if (requested !== null && this.recordedIdentity === null) {
        const { nodeId, clusterId } = requested;
        this.stmts.setIdentity.run(nodeId, clusterId, identityCrc(nodeId, clusterId));
        this.recordedIdentity = requested;
        this.writeNo++;
      }
    } catch (error) {
      this.marks.close();
      throw error;
    }
  }

  /** The ids of every group the store holds, ascending. */
  groups(): number[] {
    this.live();
    return [...this.groupsHeld.keys()].sort((a, b) => a - b);
  }

  /** Whether the store holds group `id`. */
  hasGroup(id: number): boolean {
    this.live();
    return this.groupsHeld.has(id);
  }

  /**
   * The log of group `id` (a positive safe integer), created empty if the store does not hold
   * it (its mark is written and flushed first; the rows become durable with the next sync).
   * The same object while it is open; `close()` on it only detaches it.
   */
  group(id: number): SqliteGroupLog {
    this.live();
    if (!isGroupId(id))
      throw new InvalidArgumentError(`a group id must be a positive safe integer, got ${String(id)}`);
    const held = this.groupsHeld.get(id);
    if (held instanceof SqliteGroupLog) return held;
    let state: LoadedLog;
    if (held === undefined) {
      this.checkWritable();
      this.marks.create([id]);
      try {
        this.db!.transaction(() => {
          this.stmts.insertHardState.run(id, 0, null, 0, hardStateCrc(0, null, 0, id));
          this.stmts.insertCompaction.run(id, 0, 0, compactionCrc(0, 0, id));
        })();
      } catch (error) {
        this.failure = error;
        throw toSqliteLogError(this.path, error, `creating group ${id}`);
      }
      this.writeNo++;
      state = {
        hardState: Object.freeze({ term: 0, vote: null, commit: 0 }),
        snapshotMetadata: null,
        compactIndex: 0,
        compactTerm: 0,
        lastIndex: 0,
      };
    } else {
      state = held;
    }
    const log = new SqliteGroupLog(this, id, state);
    this.groupsHeld.set(id, log);
    return log;
  }

  /**
   * Make ready to create many groups at once: their marks are written with one flush, so that
   * creating each (`group(id)`) costs no fsync of its own. Groups the store holds are skipped.
   */
  prepareGroups(ids: Iterable<number>): void {
    this.live();
    const fresh: number[] = [];
    for (const id of ids) {
      if (!isGroupId(id))
        throw new InvalidArgumentError(`a group id must be a positive safe integer, got ${String(id)}`);
      if (!this.groupsHeld.has(id)) fresh.push(id);
    }
    if (fresh.length === 0) return;
    this.checkWritable();
    this.marks.create(fresh);
  }

  /**
   * Delete group `id` and every row of it, durably: a tombstone in its mark first, then the
   * rows in one transaction and an fsync (a crash in between finishes the deletion on the
   * next open). Its open log, if any, is closed.
   */
  deleteGroup(id: number): void {
    this.live();
    const held = this.groupsHeld.get(id);
    if (held === undefined) return;
    this.checkWritable();
    if (held instanceof SqliteGroupLog) held.detach();
    this.marks.tombstone(id);
    try {
      this.db!.transaction(() => {
        for (const s of this.stmts.deleteGroup) s.run(id);
      })();
      this.groupsHeld.delete(id);
      this.writeNo++;
      this.syncNow();
    } catch (error) {
      this.failure ??= error;
      throw toSqliteLogError(this.path, error, `deleting group ${id}`);
    }
    this.marks.release(id);
  }

  /** The host and cluster recorded in the store, or null. */
  identity(): LogIdentity | null {
    this.live();
    return this.recordedIdentity;
  }

  /** Counters (see `SqliteLogStoreStats`). */
  stats(): SqliteLogStoreStats {
    return {
      writes: this.counters.writes,
      walSyncs: this.counters.walSyncs,
      batches: this.counters.batches,
      markFlushes: this.marks.flushes,
      groups: this.groupsHeld.size,
    };
  }

  /** Make every write of every group durable now: one fsync of the WAL. */
  sync(): void {
    this.live();
    if (this.writeNo <= this.durableNo) return;
    this.checkWritable();
    this.syncNow();
  }

  /**
   * Resolves once every write made before the call, of any group, is durable. Calls in one
   * turn of the event loop share one fsync on libuv's thread pool; one runs at a time, and
   * writes made while it runs go into the next. Rejects with a `SqliteLogError` and the
   * store takes no more writes if the fsync fails. Wait for it to settle before `close()`.
   */
  syncAsync(): Promise<void> {
    this.live();
    const need = this.writeNo;
    if (need <= this.durableNo) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failedError());
    if (this.inFlight !== null && this.inFlight.covers >= need) return this.inFlight.promise;
    if (this.next === null) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.next = { promise, resolve, reject };
    }
    this.scheduleNext();
    return this.next.promise;
  }

  /** Start the waiting sync in the next turn (so every group of this turn joins it), unless one runs. */
  private scheduleNext(): void {
    if (this.nextScheduled || this.inFlight !== null || this.next === null) return;
    this.nextScheduled = true;
    setImmediate(() => {
      this.nextScheduled = false;
      this.startNext();
    });
  }

  private startNext(): void {
    const pending = this.next;
    if (pending === null || this.inFlight !== null || this.db === null) return;
    this.next = null;
    const covers = this.writeNo;
    if (covers <= this.durableNo) {
      pending.resolve();
      return;
    }
    if (this.failure !== undefined) {
      pending.reject(this.failedError());
      return;
    }
    const captured = this.captureDirty();
    let fd: number;
    try {
      this.commitBatch();
      fd = this.walDescriptor();
    } catch (error) {
      this.failure ??= error;
      pending.reject(toSqliteLogError(this.path, error, 'sync failed'));
      return;
    }
    this.counters.walSyncs++;
    this.inFlight = { covers, promise: pending.promise };
    fdatasync(fd, (error) => {
      this.inFlight = null;
      if (this.inFlightSyncs === 0) this.closeRetired();
      if (error) {
        this.failure ??= error;
        pending.reject(toSqliteLogError(this.path, error, 'sync failed'));
        this.next?.reject(toSqliteLogError(this.path, error, 'sync failed'));
        this.next = null;
        return;
      }
      this.durableNo = Math.max(this.durableNo, covers);
      try {
        if (this.db !== null) this.raiseMarks(captured);
        pending.resolve();
      } catch (raiseError) {
        pending.reject(raiseError);
      }
      this.scheduleNext();
    });
  }

  private get inFlightSyncs(): number {
    return this.inFlight === null ? 0 : 1;
  }

  /** fsync the WAL now and raise the marks of every group written since. */
  private syncNow(): void {
    const captured = this.captureDirty();
    const covers = this.writeNo;
    try {
      this.commitBatch();
      fdatasyncSync(this.walDescriptor());
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: never retry.
      this.failure ??= error;
      throw toSqliteLogError(this.path, error, 'sync failed');
    }
    this.counters.walSyncs++;
    this.durableNo = Math.max(this.durableNo, covers);
    this.raiseMarks(captured);
  }

  /** The state of every group written since the last capture, to raise marks to once durable. */
  private captureDirty(): { log: SqliteGroupLog; mark: HighWaterMark; reshapes: number }[] {
    const out = [...this.dirty].map((log) => ({ log, mark: log.summary(), reshapes: log.reshapes }));
    this.dirty = new Set();
    return out;
  }

  /**
   * Raise each group's mark to the state captured when the fsync started, unless the group
   * truncated or compacted meanwhile (the state captured may no longer be in its log; the next
   * sync raises it instead). A new term or vote of any group is flushed before this returns.
   */
  private raiseMarks(
    captured: readonly { log: SqliteGroupLog; mark: HighWaterMark; reshapes: number }[],
  ): void {
    if (this.marks.failure !== undefined) {
      this.failure ??= this.marks.failure;
      throw toSqliteLogError(this.path, this.marks.failure, 'flushing the high-water marks failed');
    }
    let now = false;
    try {
      for (const { log, mark, reshapes } of captured) {
        if (log.detached || reshapes !== log.reshapes) continue;
        const before = this.marks.mark(log.group);
        if (before === undefined) continue;
        if (mark.term !== before.term || mark.vote !== before.vote) now = true;
        this.marks.raise(log.group, mark, false);
      }
      if (now) this.marks.flushNow();
    } catch (error) {
      this.failure ??= error;
      throw toSqliteLogError(this.path, error, 'writing the high-water marks failed');
    }
  }

  /** Close the database after a final sync; every group's log is detached. Idempotent. */
  close(): void {
    const db = this.db;
    if (db === null) return;
    let failed: unknown;
    if (this.failure === undefined) {
      try {
        this.sync();
      } catch (error) {
        failed = error;
      }
    }
    const logs = [...this.groupsHeld.values()].filter(
      (v): v is SqliteGroupLog => v instanceof SqliteGroupLog,
    );
    this.db = null;
    if (this.walFd !== null) this.retireWalFd(this.walFd);
    this.walFd = null;
    let closedClean = false;
    try {
      db.close();
      closedClean = true;
    } catch (error) {
      failed ??= toSqliteLogError(this.path, error, 'closing');
    }
    try {
      // Closing checkpointed the WAL into the database and fsynced it: every group's final
      // state is durable, and its mark may rise to it.
      if (
        closedClean &&
        failed === undefined &&
        this.failure === undefined &&
        this.marks.failure === undefined
      ) {
        for (const log of logs) if (!log.detached) this.marks.raise(log.group, log.summary(), false);
      }
      this.marks.close();
    } catch (error) {
      failed ??= toSqliteLogError(this.path, error, 'closing the high-water marks');
    } finally {
      for (const log of logs) log.detach();
      this.lock.release();
    }
    if (failed !== undefined) throw failed;
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.db === null;
  }

  // -- for SqliteGroupLog ----------------------------------------------------------------

  /**
   * Open the batch's transaction if none is open (before a group's write). Returns whether a
   * batch transaction is open (false: every write is its own transaction). @internal
   */
  openBatch(): boolean {
    if (this.transactionPerWrite) return false;
    if (this.batchOpen) return true;
    this.database();
    this.beginStmt.run();
    this.batchOpen = true;
    return true;
  }

  /**
   * A group's write failed after `openBatch`: if SQLite rolled the whole transaction back
   * (a full disk, an I/O error), earlier writes of the batch are gone although their groups
   * count them as written, so the store takes no more writes and reports none durable.
   * @internal
   */
  writeFailed(error: unknown): void {
    if (this.batchOpen && !this.db!.inTransaction) {
      this.batchOpen = false;
      this.failure ??= error;
    }
  }

  /** Commit the batch's transaction, if open (before every fsync and on close). */
  private commitBatch(): void {
    if (!this.batchOpen) return;
    this.batchOpen = false;
    if (!this.db!.inTransaction) {
      // Rolled back under us (see `writeFailed`): never report its writes durable.
      throw new SqliteLogError('LOG_FAILED', this.path, 'the batch transaction was rolled back');
    }
    this.commitStmt.run();
    this.counters.batches++;
  }

  /** A group's write committed. @internal */
  wrote(log: SqliteGroupLog): void {
    this.writeNo++;
    this.counters.writes++;
    this.dirty.add(log);
  }

  /** The database, or `LOG_CLOSED`. @internal */
  database(): Database.Database {
    if (this.db === null) throw new SqliteLogError('LOG_CLOSED', this.path, 'the store is closed');
    return this.db;
  }

  /** @internal */
  markOf(group: number): HighWaterMark | undefined {
    return this.marks.mark(group);
  }

  /** @internal */
  lowerMark(group: number, mark: HighWaterMark): void {
    this.marks.lower(group, mark);
  }

  /** Throw `LOG_FAILED` if an earlier write or fsync failed (the store takes no more writes). @internal */
  checkWritable(): void {
    if (this.marks.failure !== undefined) this.failure ??= this.marks.failure;
    if (this.failure !== undefined) throw this.failedError();
  }

  /** @internal */
  detached(log: SqliteGroupLog): void {
    if (this.groupsHeld.get(log.group) === log) this.groupsHeld.set(log.group, log.loaded());
    this.dirty.delete(log);
  }

  private failedError(): SqliteLogError {
    return new SqliteLogError('LOG_FAILED', this.path, 'an earlier write failed; reopen the store', {
      cause: this.failure,
    });
  }

  private live(): void {
    if (this.db === null) throw new SqliteLogError('LOG_CLOSED', this.path, 'the store is closed');
  }

  private retireWalFd(fd: number): void {
    this.retiredFds.push(fd);
    if (this.inFlight === null) this.closeRetired();
  }

  private closeRetired(): void {
    const fds = this.retiredFds;
    this.retiredFds = [];
    for (const fd of fds) closeSync(fd);
  }

  /** The open descriptor of the WAL file (reopened, and its directory fsynced, when it is new). */
  private walDescriptor(): number {
    const wal = `${this.path}-wal`;
    const ino = statSync(wal).ino;
    if (this.walFd === null || ino !== this.walIno) {
      if (this.walFd !== null) this.retireWalFd(this.walFd);
      this.walFd = null;
      const fd = openSync(wal, 'r+');
      this.walFd = fd;
      this.walIno = fstatSync(fd).ino;
      fsyncPath(dirname(wal));
    }
    return this.walFd;
  }
}

/**
 * The `RaftLog` of one group of a `SqliteLogStore` (see `store.group(id)`). Everything a
 * `SqliteLog` does for its one log, keyed by the group; `sync` and `syncAsync` make the whole
 * store durable (every group's writes), `close` only detaches this log from the store.
 */
export class SqliteGroupLog implements RaftLog {
  private readonly cache: LogCache;
  /** Writes that truncated or compacted so far (see `SqliteLogStore.raiseMarks`). @internal */
  reshapes = 0;
  /** @internal */
  detached = false;
  /**
   * One write's statements, run bare in the batch's transaction; `commit`: the same as a
   * transaction of its own (a store with a transaction per write).
   */
  private readonly apply: (write: LogWrite, plan: WritePlan) => void;
  private readonly commit: (write: LogWrite, plan: WritePlan) => void;

  /** @internal (`SqliteLogStore.group(id)` opens a group's log) */
  constructor(
    private readonly store: SqliteLogStore,
    readonly group: number,
    state: LoadedLog,
  ) {
    const s = store.stmts;
    const path = store.path;
    this.cache = new LogCache(
      state,
      store.options.tailCacheEntries,
      store.options.tailCacheBytes,
      {
        at: (index) => s.entryAt.get(group, index),
        range: (lo, hi) => s.range.all(group, lo, hi),
        rangeLimit: (lo, hi, limit) => s.rangeLimit.all(group, lo, hi, limit),
        newest: (limit) => s.tail.all(group, limit),
        toEntry: (row) => entryFromRow(row, path, group),
      },
      path,
      `group ${group}: `,
    );
    this.apply = (write: LogWrite, plan: WritePlan) => {
      const { hardState: hs, snapshot } = write;
      if (hs !== undefined) {
        const crc = hardStateCrc(hs.term, hs.vote, hs.commit, group);
        if (s.setHardState.run(hs.term, hs.vote, hs.commit, crc, group).changes !== 1) {
          throw this.cache.corrupt('the hard_state row is missing');
        }
      }
      if (snapshot !== undefined) {
        const { index, term, membership } = snapshot.metadata;
        const text = encodeMembership(membership);
        s.setSnapshotMeta.run(group, index, term, text, snapshotMetaCrc(index, term, text, group));
        s.setSnapshotData.run(group, snapshot.data, snapshotDataCrc(index, term, snapshot.data, group));
      }
      if (plan.truncateFrom !== undefined) s.deleteFrom.run(group, plan.truncateFrom);
      if (plan.compact !== undefined) {
        const { index, term } = plan.compact;
        s.deleteThrough.run(group, index);
        s.setCompaction.run(index, term, compactionCrc(index, term, group), group);
      }
      for (const e of write.entries ?? []) {
        const type = entryTypeCode(e.type);
        s.insertEntry.run(
          group,
          e.index,
          e.term,
          type,
          e.data,
          entryCrc(e.index, e.term, type, e.data, group),
        );
      }
    };
    this.commit = store.database().transaction(this.apply);
  }

  /** The state of this log as it is now (what `group(id)` reopens from after a detach). @internal */
  loaded(): LoadedLog {
    const c = this.cache;
    return {
      hardState: c.hard,
      snapshotMetadata: c.snapMeta,
      compactIndex: c.compactIndex,
      compactTerm: c.compactTerm,
      lastIndex: c.last,
    };
  }

  /** @internal */
  summary(): HighWaterMark {
    return this.cache.summary();
  }

  hardState(): HardState {
    this.live();
    return this.cache.hard;
  }

  snapshotMetadata(): SnapshotMetadata | null {
    this.live();
    return this.cache.snapMeta;
  }

  snapshot(): Snapshot | null {
    this.live();
    const meta = this.cache.snapMeta;
    if (meta === null) return null;
    const row = this.cache.read(() => this.store.stmts.snapshotData.get(this.group), 'reading the snapshot');
    if (row === undefined) throw this.cache.corrupt('the snapshot data row is missing');
    const [data, crc] = row;
    if (!(data instanceof Uint8Array) || crc !== snapshotDataCrc(meta.index, meta.term, data, this.group)) {
      throw this.cache.corrupt(
        `the snapshot data (index ${meta.index}, term ${meta.term}) fails its checksum`,
      );
    }
    return { metadata: meta, data: toBytes(data) };
  }

  firstIndex(): number {
    this.live();
    return this.cache.compactIndex + 1;
  }

  lastIndex(): number {
    this.live();
    return this.cache.last;
  }

  term(index: number): number {
    this.live();
    return this.cache.term(index);
  }

  entries(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): Entry[] {
    this.live();
    return this.cache.entries(lo, hi, maxBytes);
  }

  membershipEntries(lo: number, hi: number): Entry[] {
    this.live();
    if (lo <= this.cache.compactIndex) throw new CompactedError(lo);
    if (hi > this.cache.last + 1) throw new UnavailableError(hi - 1);
    if (lo >= hi) return [];
    const code = entryTypeCode('membership');
    return this.cache.read(
      () =>
        this.store.stmts.rangeOfType
          .all(this.group, lo, hi, code)
          .map((row) => entryFromRow(row, this.store.path, this.group)),
      'reading membership entries',
    );
  }

  /**
   * Apply one `LogWrite` (see `SqliteLog.write`); durable with the store's next sync. A write
   * the rules refuse (`LOG_INVALID_WRITE`, a value over `MAX_LOG_VALUE_BYTES` included)
   * changes nothing; a failure in SQLite stops the whole store (`LOG_FAILED` for every later
   * write), and no write of its batch is ever reported durable.
   */
  write(write: LogWrite): void {
    this.live();
    this.store.checkWritable();
    const plan = this.cache.plan(write);
    const mark = this.store.markOf(this.group);
    try {
      const lowered = mark === undefined ? null : this.cache.loweredMark(mark, write, plan);
      if (lowered !== null) this.store.lowerMark(this.group, lowered);
    } catch (error) {
      this.store.failure ??= error;
      throw toSqliteLogError(
        this.store.path,
        error,
        `group ${this.group}: lowering the high-water mark failed`,
      );
    }
    try {
      // In the batch's transaction a write runs bare: a savepoint per write would cost two
      // more statements, and what could fail half-way (a value too large for SQLite) is
      // refused by `plan` before any statement runs. Anything that fails now stops the store.
      if (this.store.openBatch()) this.apply(write, plan);
      else this.commit(write, plan);
    } catch (error) {
      this.store.writeFailed(error);
      this.store.failure ??= error;
      throw toSqliteLogError(this.store.path, error, `group ${this.group}: write failed`);
    }
    if (plan.truncateFrom !== undefined || plan.compact !== undefined) this.reshapes++;
    this.cache.committed(write, plan);
    this.store.wrote(this);
  }

  /** Make every earlier write of every group durable now (one fsync of the store's WAL). */
  sync(): void {
    this.live();
    this.store.sync();
  }

  /** `sync` on the thread pool, shared with every group that asks in the same turn. */
  syncAsync(): Promise<void> {
    this.live();
    return this.store.syncAsync();
  }

  /** Detach this log from the store (the store stays open; `store.group(id)` opens it again). */
  close(): void {
    this.detach();
  }

  /** Called by the store: this object takes no more calls. */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.store.detached(this);
  }

  private live(): void {
    if (this.detached) {
      throw new SqliteLogError('LOG_CLOSED', this.store.path, `group ${this.group}: this log was closed`);
    }
  }
}

/** Open (or create) the store at `path`; the same as `SqliteLogStore.open`. */
export function openSqliteLogStore(path: string, options?: SqliteLogStoreOptions): SqliteLogStore {
  return SqliteLogStore.open(path, options);
}
