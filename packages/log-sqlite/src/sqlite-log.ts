/**
 * `SqliteLog`: the durable `RaftLog` on one SQLite file (better-sqlite3, WAL mode). Each
 * `write()` is one transaction, validated in full before SQLite is touched, so a rejected
 * write changes nothing and a crash leaves all of a write or none of it. Hard state,
 * compaction point, last index, snapshot metadata and the tail of recent entries live in
 * memory as well, so the hot reads (`term`, recent `entries`) need no query. Every row
 * carries a CRC32C checked when it is read; a lock file keeps one writer per log, and a
 * high-water mark file refuses a log that lost durable state.
 */
import { closeSync, existsSync, fdatasync, fdatasyncSync, fstatSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  CompactedError,
  type Entry,
  type HardState,
  type LogWrite,
  type RaftLog,
  type Snapshot,
  type SnapshotMetadata,
  UnavailableError,
} from '@raft-io/core';
import type { Database } from 'better-sqlite3';
import {
  compactionCrc,
  entryCrc,
  hardStateCrc,
  identityCrc,
  snapshotDataCrc,
  snapshotMetaCrc,
} from './checksums.js';
import { encodeMembership, entryFromRow, entryTypeCode, toBytes } from './codec.js';
import { type LogIdentity, SqliteLogError, toSqliteLogError } from './errors.js';
import { fsyncPath } from './fs-sync.js';
import {
  createHighWaterMark,
  type HighWaterMark,
  HighWaterMarkFile,
  highWaterMarkPath,
} from './high-water-mark.js';
import { NO_HIGH_WATER_MARK } from './internal-options.js';
import { LogCache, type WritePlan } from './log-cache.js';
import { assertNotOpenHere, LogLock } from './log-lock.js';
import { loadLogState } from './log-state.js';
import { checkHeader, type Inspection, inspectFile, openDatabase, prepareFile } from './open-database.js';
import { type ResolvedSqliteLogOptions, resolveSqliteLogOptions, type SqliteLogOptions } from './options.js';
import { prepareStatements, type Statements } from './statements.js';

export class SqliteLog implements RaftLog {
  /** The database file, as an absolute path. */
  readonly path: string;
  /** The options in force, defaults filled in. */
  readonly options: ResolvedSqliteLogOptions;

  private db: Database | null;
  private readonly lock: LogLock;
  private readonly mark: HighWaterMarkFile;
  /** False only in the benchmark's comparison run (see `internal-options.ts`). */
  private readonly markActive: boolean;
  private recordedIdentity: LogIdentity | null;
  private readonly stmts: Statements;
  /** Runs one validated write as one transaction (built once: better-sqlite3 wrappers are not free). */
  private readonly commit: (write: LogWrite, plan: WritePlan) => void;
  /** The in-memory view (hard state, compaction point, last index, tail) and the write rules. */
  private readonly cache: LogCache;
  /** The error of a write that failed in SQLite; the log takes no more writes. */
  private failure: unknown;
  /** Group commit: a write has committed since the last `sync()`. */
  private unsynced = false;
  /** Group commit: an open descriptor of the WAL file and its inode, to fsync it. */
  private walFd: number | null = null;
  private walIno = 0;
  /**
   * Writes that truncated or compacted so far: a `syncAsync` raises the high-water mark to the
   * state it captured only if none happened while its fsync ran (the state it captured may no
   * longer be in the log then; the next sync raises the mark instead).
   */
  private reshapes = 0;
  /** `syncAsync` calls whose fsync has not finished. */
  private syncsInFlight = 0;
  /** WAL descriptors to close once no fsync runs on them. */
  private retiredFds: number[] = [];

  /**
   * Open the log at `path`, creating it if it does not exist (unless `create: false`).
   * Throws `SqliteLogError` (a `StorageError`) if the file is corrupt, foreign, of a newer
   * schema, behind its high-water mark, of another identity, or held by another process or
   * log; the files are left as they were.
   */
  static open(path: string, options: SqliteLogOptions = {}): SqliteLog {
    const resolved = resolveSqliteLogOptions(options);
    const file = resolve(path);
    // Before any file is touched: not open here, and a file that is there is a raft-io log
    // (a foreign or damaged file is refused without a lock file appearing beside it).
    assertNotOpenHere(file);
    if (existsSync(file) || !resolved.create) checkHeader(file, false);
    const lock = LogLock.acquire(file);
    let db: Database | undefined;
    try {
      prepareFile(file, resolved.create);
      const inspection = inspectFile(file, resolved);
      db = openDatabase(file, resolved);
      const markActive = (options as { [NO_HIGH_WATER_MARK]?: boolean })[NO_HIGH_WATER_MARK] !== true;
      return new SqliteLog(file, resolved, db, lock, inspection, markActive);
    } catch (error) {
      db?.close();
      lock.release();
      throw toSqliteLogError(file, error, 'loading the log');
    }
  }

  private constructor(
    path: string,
    options: ResolvedSqliteLogOptions,
    db: Database,
    lock: LogLock,
    inspection: Inspection,
    markActive: boolean,
  ) {
    this.path = path;
    this.markActive = markActive;
    this.options = options;
    this.db = db;
    this.lock = lock;
    this.stmts = prepareStatements(db);
    const s = this.stmts;
    this.commit = db.transaction((write: LogWrite, plan: WritePlan) => {
      const { hardState: hs, snapshot } = write;
      if (hs !== undefined) {
        const crc = hardStateCrc(hs.term, hs.vote, hs.commit);
        if (s.setHardState.run(hs.term, hs.vote, hs.commit, crc).changes !== 1) {
          throw this.corrupt('the hard_state row is missing');
        }
      }
      if (snapshot !== undefined) {
        const { index, term, membership } = snapshot.metadata;
        const text = encodeMembership(membership);
        s.setSnapshotMeta.run(index, term, text, snapshotMetaCrc(index, term, text));
        s.setSnapshotData.run(snapshot.data, snapshotDataCrc(index, term, snapshot.data));
      }
      if (plan.truncateFrom !== undefined) s.deleteFrom.run(plan.truncateFrom);
      if (plan.compact !== undefined) {
        const { index, term } = plan.compact;
        s.deleteThrough.run(index);
        s.setCompaction.run(index, term, compactionCrc(index, term));
      }
      for (const e of write.entries ?? []) {
        const type = entryTypeCode(e.type);
        s.insertEntry.run(e.index, e.term, type, e.data, entryCrc(e.index, e.term, type, e.data));
      }
    });
    // Inspected already (a current file), or migrated just now: read again, without the scan.
    const state = loadLogState(db, path, false);
    this.recordedIdentity = state.identity;
    this.cache = new LogCache(
      state,
      options.tailCacheEntries,
      options.tailCacheBytes,
      {
        at: (index) => s.entryAt.get(index),
        range: (lo, hi) => s.range.all(lo, hi),
        rangeLimit: (lo, hi, limit) => s.rangeLimit.all(lo, hi, limit),
        newest: (limit) => s.tail.iterate(limit),
        toEntry: (row) => entryFromRow(row, path),
      },
      path,
    );
    let mark = inspection.mark;
    if (mark === null) {
      // A file from before high-water marks (schema 1), just migrated: its mark starts here.
      const file = highWaterMarkPath(path);
      createHighWaterMark(file, this.summary());
      mark = { seq: 1, mark: this.summary() };
    }
    this.mark = new HighWaterMarkFile(
      highWaterMarkPath(path),
      mark.seq,
      mark.mark,
      options.highWaterMarkFlushMs,
    );
    // Every check passed: now the log may change. The state just loaded is durable
    // (prepareFile fsynced it), so the mark may rise to it.
    try {
      const requested = options.identity;
      if (requested !== null && this.recordedIdentity === null) {
        const { nodeId, clusterId } = requested;
        s.setIdentity.run(nodeId, clusterId, identityCrc(nodeId, clusterId));
        this.recordedIdentity = requested;
        this.unsynced = true;
      }
      this.mark.raise(this.summary(), true);
    } catch (error) {
      this.mark.close();
      throw error;
    }
  }

  /** The mark of the current state (durable or not: the caller knows). */
  private summary(): HighWaterMark {
    return this.cache.summary();
  }

  /**
   * Lower the mark, durably, before a write whose result would not contain it (see
   * `LogCache.loweredMark`); every other write leaves the mark as it is.
   */
  private lowerMarkFor(write: LogWrite, plan: WritePlan): void {
    const lowered = this.cache.loweredMark(this.mark.mark, write, plan);
    if (lowered !== null && this.markActive) this.mark.lower(lowered);
  }

  /**
   * Raise the mark to the current state, which the caller knows is durable. A new term or
   * vote is flushed before this returns; a longer log is flushed in the background.
   */
  private raiseMark(next: HighWaterMark = this.summary()): void {
    if (this.mark.failure !== undefined) {
      this.failure = this.mark.failure;
      throw toSqliteLogError(this.path, this.mark.failure, 'flushing the high-water mark failed');
    }
    if (!this.markActive) return;
    const m = this.mark.mark;
    try {
      this.mark.raise(next, next.term !== m.term || next.vote !== m.vote);
    } catch (error) {
      this.failure = error;
      throw toSqliteLogError(this.path, error, 'writing the high-water mark failed');
    }
  }

  /** The node and cluster recorded in the log, or null if none is. */
  identity(): LogIdentity | null {
    this.live();
    return this.recordedIdentity;
  }

  /**
   * The high-water mark on disk: the term, vote and last entry (index, term) that this log
   * will refuse to be found behind when it is opened again. It trails the log: a new term
   * or vote is in it when `write()` (or, with group commit, `sync()`) returns; a longer log
   * a background flush later (about one fsync).
   */
  highWaterMark(): HighWaterMark {
    this.live();
    return this.mark.durable;
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
    const row = this.read(() => this.stmts.snapshotData.get(), 'reading the snapshot');
    if (row === undefined) throw this.corrupt('the snapshot data row is missing');
    const [data, crc] = row;
    const { index, term } = meta;
    if (!(data instanceof Uint8Array) || crc !== snapshotDataCrc(index, term, data)) {
      throw this.corrupt(`the snapshot data (index ${index}, term ${term}) fails its checksum`);
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

  /**
   * The membership entries in `[lo, hi)`: one query that builds no object for the other
   * entries (a node calls this at start-up instead of reading the whole log).
   */
  membershipEntries(lo: number, hi: number): Entry[] {
    this.live();
    if (lo <= this.cache.compactIndex) throw new CompactedError(lo);
    if (hi > this.cache.last + 1) throw new UnavailableError(hi - 1);
    if (lo >= hi) return [];
    const code = entryTypeCode('membership');
    return this.read(
      () => this.stmts.rangeOfType.all(lo, hi, code).map((row) => entryFromRow(row, this.path)),
      'reading membership entries',
    );
  }

  /**
   * Apply one `LogWrite` in one transaction. A write that breaks the rules throws
   * `SqliteLogError` `LOG_INVALID_WRITE` and changes nothing; a failure in SQLite throws
   * `LOG_IO` (the transaction is rolled back) and the log refuses further writes.
   */
  write(write: LogWrite): void {
    this.live();
    if (this.failure !== undefined) {
      throw new SqliteLogError('LOG_FAILED', this.path, 'an earlier write failed; reopen the log', {
        cause: this.failure,
      });
    }
    if (this.mark.failure !== undefined) this.failure = this.mark.failure;
    if (this.failure !== undefined) {
      throw new SqliteLogError('LOG_FAILED', this.path, 'an earlier write failed; reopen the log', {
        cause: this.failure,
      });
    }
    const plan = this.cache.plan(write);
    try {
      this.lowerMarkFor(write, plan);
    } catch (error) {
      this.failure = error;
      throw toSqliteLogError(this.path, error, 'lowering the high-water mark failed');
    }
    try {
      this.commit(write, plan);
    } catch (error) {
      // A value too large for SQLite never gets here: `plan` refuses it (MAX_LOG_VALUE_BYTES).
      this.failure = error;
      throw toSqliteLogError(this.path, error, 'write failed');
    }
    this.unsynced = true;
    if (plan.truncateFrom !== undefined || plan.compact !== undefined) this.reshapes++;
    // The transaction committed: bring the in-memory view along.
    this.cache.committed(write, plan);
    // Durable now only at synchronous = FULL without group commit; group commit raises the
    // mark in sync(), and 'normal' only on close (after SQLite's checkpoint fsyncs).
    if (!this.options.groupCommit && this.options.synchronous === 'full') this.raiseMark();
  }

  /**
   * Make every earlier write durable. Without `groupCommit` each write already is, and
   * this does nothing. With it: one fsync of the WAL file (and of its directory, once per
   * WAL file), which holds every commit since the last checkpoint, and SQLite fsyncs the
   * WAL before each checkpoint moves frames into the database file. Then the high-water
   * mark rises to what is now durable (flushed in the background unless the term or vote
   * changed). The descriptor of the WAL is safe to hold and close: SQLite locks only the
   * database file (and, in exclusive mode, keeps the WAL index in memory), never the WAL.
   */
  sync(): void {
    this.live();
    if (!this.options.groupCommit || !this.unsynced) return;
    if (this.failure !== undefined) {
      throw new SqliteLogError('LOG_FAILED', this.path, 'an earlier write failed; reopen the log', {
        cause: this.failure,
      });
    }
    try {
      // fdatasync: the WAL's data and its size, not its times. SQLite reuses the WAL in place
      // after a checkpoint, so a sync usually changes no metadata and costs no journal commit.
      fdatasyncSync(this.walDescriptor());
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: never retry.
      this.failure = error;
      throw toSqliteLogError(this.path, error, 'sync failed');
    }
    this.unsynced = false;
    this.raiseMark();
  }

  /**
   * `sync()` without blocking the caller: the fsync of the WAL runs on libuv's thread pool
   * while later writes go on. Resolves once every write made before the call is durable (writes
   * made while it runs are not covered: the next sync covers them); rejects with a
   * `SqliteLogError` (a `StorageError`) and the log takes no more writes if the fsync fails.
   * Safe beside later writes and checkpoints: a frame is either still in the WAL when the
   * fsync starts, or a checkpoint moved it into the database and fsynced that first. Wait for
   * it to settle before `close()`.
   */
  syncAsync(): Promise<void> {
    this.live();
    if (!this.options.groupCommit || !this.unsynced) return Promise.resolve();
    if (this.failure !== undefined) {
      return Promise.reject(
        new SqliteLogError('LOG_FAILED', this.path, 'an earlier write failed; reopen the log', {
          cause: this.failure,
        }),
      );
    }
    let fd: number;
    try {
      fd = this.walDescriptor();
    } catch (error) {
      this.failure = error;
      return Promise.reject(toSqliteLogError(this.path, error, 'sync failed'));
    }
    this.unsynced = false;
    const covered = this.summary();
    const reshapes = this.reshapes;
    this.syncsInFlight++;
    return new Promise((resolve, reject) => {
      fdatasync(fd, (error) => {
        if (--this.syncsInFlight === 0) this.closeRetired();
        if (error) {
          this.failure = error;
          reject(toSqliteLogError(this.path, error, 'sync failed'));
          return;
        }
        try {
          if (this.db !== null && reshapes === this.reshapes) this.raiseMark(covered);
          resolve();
        } catch (raiseError) {
          reject(raiseError);
        }
      });
    });
  }

  /** Close `fd` now, or once the fsyncs running on the thread pool are done with it. */
  private retireWalFd(fd: number): void {
    this.retiredFds.push(fd);
    if (this.syncsInFlight === 0) this.closeRetired();
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
      // A new WAL file's directory entry must be durable too.
      fsyncPath(dirname(wal));
    }
    return this.walFd;
  }

  /** Close the database (after a final `sync()` with group commit). Idempotent. */
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
      // Closing checkpointed the WAL into the database and fsynced it (at any
      // `synchronous`): the final state is durable, and the mark may rise to it.
      if (
        this.markActive &&
        closedClean &&
        failed === undefined &&
        this.failure === undefined &&
        this.mark.failure === undefined
      ) {
        this.mark.raise(this.summary(), true);
      }
      this.mark.close();
    } catch (error) {
      failed ??= toSqliteLogError(this.path, error, 'closing the high-water mark');
    } finally {
      this.lock.release();
    }
    if (failed !== undefined) throw failed;
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.db === null;
  }

  private live(): void {
    if (this.db === null) throw new SqliteLogError('LOG_CLOSED', this.path, 'the log is closed');
  }

  private corrupt(problem: string): SqliteLogError {
    return new SqliteLogError('LOG_CORRUPT', this.path, problem);
  }

  /** Run a read, turning SQLite's errors into `SqliteLogError`. */
  private read<T>(fn: () => T, during: string): T {
    try {
      return fn();
    } catch (error) {
      throw toSqliteLogError(this.path, error, during);
    }
  }
}

/** Open (or create) the log at `path`; the same as `SqliteLog.open`. */
export function openSqliteLog(path: string, options?: SqliteLogOptions): SqliteLog {
  return SqliteLog.open(path, options);
}
