/**
 * Options of `SqliteLog.open`, their defaults, and the check that resolves them.
 */
import { InvalidConfigError } from '@raft-io/core';
import type { LogIdentity } from './errors.js';

/** The SQLite `synchronous` levels a log may run at (see `SqliteLogOptions.synchronous`). */
export type SqliteSynchronous = 'full' | 'normal';

export interface SqliteLogOptions {
  /**
   * SQLite's `PRAGMA synchronous` for every commit. Default `'full'`.
   *
   * - `'full'`: every `write()` fsyncs the WAL before it returns, so an acknowledged write
   *   survives a power loss or an OS crash. Raft needs exactly this: a vote or an accepted
   *   entry must be on disk before the message that promises it is sent. The cost is one
   *   fsync per `write()`, which bounds writes per second by the disk's fsync rate
   *   (batch entries into one write, or use `groupCommit`, to amortize it).
   * - `'normal'`: commits do not fsync (checkpoints still do). The file stays consistent,
   *   but the last writes before a power loss may vanish: safe only when losing them is
   *   acceptable (tests, a node you would rebuild from its peers).
   *
   * With `groupCommit` this must be left unset (or `'normal'`): see there.
   */
  readonly synchronous?: SqliteSynchronous;
  /**
   * Group commit. Default false. When true, `write()` commits without an fsync and
   * `sync()` makes every earlier write durable with one fsync of the WAL file; the driver
   * calls `sync()` before it carries out the `send` and `apply` actions of the steps whose
   * writes it covers. The log runs at `synchronous = NORMAL`: commits skip the fsync, and
   * SQLite still fsyncs the WAL before every checkpoint and the database after it, so a
   * checkpoint never drops a frame that `sync()` made durable.
   */
  readonly groupCommit?: boolean;
  /**
   * Check the file when it is opened: `PRAGMA quick_check` (reads every page: about a
   * second per GiB) and a scan that the entries are gap-free. Default true. A failed check
   * throws `SqliteLogError` `LOG_CORRUPT` without changing the file. The cheap invariant
   * checks (schema, compaction point, hard state) always run.
   */
  readonly quickCheck?: boolean;
  /**
   * Most recent entries kept in memory, so a leader reads what it just appended without a
   * query. Default 1024 entries; 0 turns the cache off.
   */
  readonly tailCacheEntries?: number;
  /** Most bytes of entry data the tail cache holds. Default 8 MiB (8388608 bytes). */
  readonly tailCacheBytes?: number;
  /** SQLite page cache size, in KiB. Default 16384 (16 MiB). */
  readonly pageCacheKiB?: number;
  /** Create the file (a new, empty log) if it does not exist. Default true. */
  readonly create?: boolean;
  /**
   * Least time between two background flushes of the high-water mark for a longer log, in
   * milliseconds. Default 100. The mark of the last index trails the durable log by up to
   * this (plus one fsync): entries acknowledged within that window before a crash that also
   * destroys the `-wal` file are lost without being detected. Smaller closes the window and
   * costs more fsyncs beside the log's own (at most 1000 / this per second); 0 flushes as
   * soon as the previous flush is done. A new term or vote is flushed at once whatever this
   * is.
   */
  readonly highWaterMarkFlushMs?: number;
  /**
   * The node and cluster this log belongs to. Default: none (nothing recorded or checked).
   * When given, a log that has none recorded records it (a new log at creation, an older
   * one on this open), and a log that has another one recorded is refused with
   * `LogIdentityMismatchError` (`LOG_IDENTITY_MISMATCH`) and left unchanged: a data
   * directory opened as the wrong node would vote and lead with another node's state.
   */
  readonly identity?: LogIdentity;
}

export interface ResolvedSqliteLogOptions {
  readonly synchronous: SqliteSynchronous;
  readonly groupCommit: boolean;
  readonly quickCheck: boolean;
  readonly tailCacheEntries: number;
  readonly tailCacheBytes: number;
  readonly pageCacheKiB: number;
  readonly create: boolean;
  readonly highWaterMarkFlushMs: number;
  readonly identity: LogIdentity | null;
}

export const SQLITE_LOG_DEFAULTS: ResolvedSqliteLogOptions = Object.freeze({
  synchronous: 'full',
  groupCommit: false,
  quickCheck: true,
  tailCacheEntries: 1024,
  tailCacheBytes: 8 * 1024 * 1024,
  pageCacheKiB: 16 * 1024,
  create: true,
  highWaterMarkFlushMs: 100,
  identity: null,
});

function nonNegativeInt(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidConfigError(field, `must be an integer >= 0, got ${String(value)}`);
  }
  return value;
}

function bool(field: string, value: boolean): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidConfigError(field, `must be a boolean, got ${String(value)}`);
  return value;
}

function identity(value: LogIdentity | undefined): LogIdentity | null {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') {
    throw new InvalidConfigError('identity', 'must be an object { nodeId, clusterId }');
  }
  const { nodeId, clusterId } = value;
  if (!Number.isSafeInteger(nodeId) || nodeId <= 0) {
    throw new InvalidConfigError('identity.nodeId', `must be a positive safe integer, got ${String(nodeId)}`);
  }
  if (!Number.isInteger(clusterId) || clusterId < 0 || clusterId > 0xffffffff) {
    throw new InvalidConfigError(
      'identity.clusterId',
      `must be an integer in [0, 2^32 - 1], got ${String(clusterId)}`,
    );
  }
  return Object.freeze({ nodeId, clusterId });
}

/** Check `options` and fill in defaults; throws core's `InvalidConfigError` naming the field. */
export function resolveSqliteLogOptions(options: SqliteLogOptions = {}): ResolvedSqliteLogOptions {
  if (options === null || typeof options !== 'object')
    throw new InvalidConfigError('options', 'must be an object');
  const d = SQLITE_LOG_DEFAULTS;
  const groupCommit = bool('groupCommit', options.groupCommit ?? d.groupCommit);
  const synchronous = options.synchronous ?? (groupCommit ? 'normal' : d.synchronous);
  if (synchronous !== 'full' && synchronous !== 'normal') {
    throw new InvalidConfigError('synchronous', `must be 'full' or 'normal', got ${String(synchronous)}`);
  }
  if (groupCommit && synchronous !== 'normal') {
    throw new InvalidConfigError(
      'synchronous',
      `groupCommit commits at 'normal' and fsyncs in sync(); got '${synchronous}'`,
    );
  }
  return {
    synchronous,
    groupCommit,
    quickCheck: bool('quickCheck', options.quickCheck ?? d.quickCheck),
    tailCacheEntries: nonNegativeInt('tailCacheEntries', options.tailCacheEntries ?? d.tailCacheEntries),
    tailCacheBytes: nonNegativeInt('tailCacheBytes', options.tailCacheBytes ?? d.tailCacheBytes),
    pageCacheKiB: nonNegativeInt('pageCacheKiB', options.pageCacheKiB ?? d.pageCacheKiB),
    create: bool('create', options.create ?? d.create),
    highWaterMarkFlushMs: nonNegativeInt(
      'highWaterMarkFlushMs',
      options.highWaterMarkFlushMs ?? d.highWaterMarkFlushMs,
    ),
    identity: identity(options.identity),
  };
}
