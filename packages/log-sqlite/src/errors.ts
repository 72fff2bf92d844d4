/**
 * `SqliteLogError`: every failure of the SQLite log. It is a core `StorageError` (code
 * `'STORAGE'`, fatal: stop the node), so a driver that handles storage failures handles it;
 * `reason` says what went wrong and `file` which file, for people and for code that wants
 * to tell a corrupt file from a locked one.
 */
import { StorageError } from '@raft-io/core';

/**
 * Why a `SqliteLog` operation failed.
 * - `LOG_CORRUPT`: the file is not a readable SQLite database, is truncated, fails
 *   `PRAGMA quick_check`, its tables break the log's invariants, a row fails its CRC32C
 *   (on open, or on the read that meets it), or the high-water mark file is missing or
 *   damaged. Nothing was changed.
 * - `LOG_ROLLED_BACK`: the log is behind its high-water mark: a term, vote or entries it
 *   once stored durably are gone (the `-wal` file was deleted, truncated or damaged, or
 *   the database was replaced by an older copy). Nothing was changed.
 * - `LOG_IDENTITY_MISMATCH`: the log belongs to another node or cluster than the
 *   `identity` it was opened with (a `LogIdentityMismatchError`). Nothing was changed.
 * - `LOG_NOT_A_RAFT_LOG`: a valid SQLite database that belongs to something else (another
 *   application id, or no raft-io tables). Nothing was changed.
 * - `LOG_SCHEMA_UNSUPPORTED`: written by a newer version of this package (a schema version
 *   this one does not know). Nothing was changed.
 * - `LOG_LOCKED`: another process, or another `SqliteLog` in this one, has the log open
 *   (it holds the lock file `<log>.lock`). A log has one writer.
 * - `LOG_INVALID_WRITE`: a `write()` broke the `LogWrite` rules (an append out of order, a
 *   malformed entry or hard state). The log is unchanged and still usable.
 * - `LOG_IO`: SQLite failed to read or write (disk full, I/O error). After a failed write
 *   the log refuses further writes: reopen it.
 * - `LOG_FAILED`: a write was refused because an earlier write failed with `LOG_IO`.
 * - `LOG_CLOSED`: the log was used after `close()`.
 * - `LOG_NOT_FOUND`: the file does not exist and `create` is false.
 */
export type SqliteLogErrorReason =
  | 'LOG_CORRUPT'
  | 'LOG_ROLLED_BACK'
  | 'LOG_IDENTITY_MISMATCH'
  | 'LOG_NOT_A_RAFT_LOG'
  | 'LOG_SCHEMA_UNSUPPORTED'
  | 'LOG_LOCKED'
  | 'LOG_INVALID_WRITE'
  | 'LOG_IO'
  | 'LOG_FAILED'
  | 'LOG_CLOSED'
  | 'LOG_NOT_FOUND';

export class SqliteLogError extends StorageError {
  /** What went wrong; stable, for code to branch on. */
  readonly reason: SqliteLogErrorReason;
  /** The database file concerned. */
  readonly file: string;

  constructor(reason: SqliteLogErrorReason, file: string, problem: string, options?: { cause?: unknown }) {
    super(`${reason}: ${file}: ${problem}`, options);
    this.reason = reason;
    this.file = file;
  }
}

/** The node and cluster a log belongs to (see `SqliteLogOptions.identity`). */
export interface LogIdentity {
  /** The node's id: a positive safe integer. */
  readonly nodeId: number;
  /** The cluster's id: an integer in [0, 2^32 - 1] (the transport's `clusterId`). */
  readonly clusterId: number;
}

/** The log was opened as another node or cluster than the one it belongs to. */
export class LogIdentityMismatchError extends SqliteLogError {
  constructor(
    file: string,
    /** The identity recorded in the log. */
    readonly recorded: LogIdentity,
    /** The identity it was opened with. */
    readonly requested: LogIdentity,
  ) {
    super(
      'LOG_IDENTITY_MISMATCH',
      file,
      `the log belongs to node ${recorded.nodeId} of cluster ${recorded.clusterId}, ` +
        `not node ${requested.nodeId} of cluster ${requested.clusterId}; is this the right data directory?`,
    );
  }
}

/**
 * Wrap an error thrown by SQLite or `fs` while working on `file`: SQLite's busy and
 * locked codes become `LOG_LOCKED`, its corruption codes `LOG_CORRUPT`, everything else
 * `LOG_IO`. A `SqliteLogError` passes through unchanged.
 */
export function toSqliteLogError(file: string, error: unknown, during: string): SqliteLogError {
  if (error instanceof SqliteLogError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  const detail = `${during}: ${typeof code === 'string' ? `${code}: ` : ''}${text}`;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new SqliteLogError('LOG_LOCKED', file, `${detail} (another connection holds the log)`, {
        cause: error,
      });
    }
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
      return new SqliteLogError('LOG_CORRUPT', file, detail, { cause: error });
    }
  }
  return new SqliteLogError('LOG_IO', file, detail, { cause: error });
}
