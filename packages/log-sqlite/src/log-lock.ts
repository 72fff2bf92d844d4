/**
 * One writer per log: `LogLock` holds `<log>.lock` for the life of a `SqliteLog`.
 *
 * The lock is an exclusive POSIX record lock (fcntl) that SQLite takes on the lock file,
 * opened as a tiny database in exclusive locking mode: Node 20 has no `flock` or `fcntl`
 * of its own, and better-sqlite3 is already here. The kernel drops the lock when the
 * process dies, however it dies, so a crash never leaves a stale lock to clean up, and no
 * pid is ever guessed at (a pid file with a liveness check is racy, is fooled by pid reuse
 * and by pid namespaces, and needs a human after a crash on another host).
 *
 * A POSIX lock has one trap, and it is why the lock lives in a file of its own: closing
 * *any* descriptor of a file drops every lock this process holds on it. Nothing in this
 * package opens the lock file through `fs`, and the database file is only touched through
 * `fs` before SQLite opens it; a registry of the logs open in this process refuses a
 * second open here before it touches any file.
 */
import { chmodSync, existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteLogError, toSqliteLogError } from './errors.js';

/** The file name of the lock of the log at `logPath`. */
export const lockPath = (logPath: string): string => `${logPath}.lock`;

/** Logs open in this process, by the real path of their directory and their file name. */
const openHere = new Set<string>();

function key(logPath: string): string {
  try {
    return join(realpathSync(dirname(logPath)), basename(logPath));
  } catch (error) {
    throw toSqliteLogError(logPath, error, 'resolving the directory of the log');
  }
}

/** Throw `LOG_LOCKED` if a `SqliteLog` of this process has `logPath` open. */
export function assertNotOpenHere(logPath: string): void {
  if (openHere.has(key(logPath))) {
    throw new SqliteLogError('LOG_LOCKED', logPath, 'the log is already open in this process');
  }
}

export class LogLock {
  private constructor(
    private db: Database.Database | null,
    private readonly key: string,
  ) {}

  /**
   * Take the lock of the log at `logPath` (creating the lock file if needed), or throw
   * `LOG_LOCKED` at once (no waiting) if another process or log holds it.
   */
  static acquire(logPath: string): LogLock {
    const k = key(logPath);
    if (openHere.has(k)) {
      throw new SqliteLogError('LOG_LOCKED', logPath, 'the log is already open in this process');
    }
    const file = lockPath(logPath);
    let db: Database.Database | undefined;
    try {
      const created = !existsSync(file);
      db = new Database(file, { timeout: 0 });
      // chmod works by path: it opens no descriptor, so it cannot drop a lock.
      if (created) chmodSync(file, 0o600);
      // Exclusive locking mode keeps the lock of the first write transaction until close;
      // with no journal, locking writes no file but the lock file itself.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = OFF');
      db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (error) {
      db?.close();
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
        throw new SqliteLogError(
          'LOG_LOCKED',
          logPath,
          `another process has the log open (it holds ${file}); a log has one writer`,
          { cause: error },
        );
      }
      throw toSqliteLogError(logPath, error, `taking the lock ${file}`);
    }
    openHere.add(k);
    return new LogLock(db, k);
  }

  /** Release the lock. Idempotent. */
  release(): void {
    const db = this.db;
    if (db === null) return;
    this.db = null;
    openHere.delete(this.key);
    db.close();
  }
}
