/**
 * Creates a new, empty log file atomically: the schema is written to a temporary file,
 * made durable, and linked into place only when complete. So a file at the log's path was
 * always a complete log once; an empty or half-written file there means damage, and
 * opening refuses it instead of starting over with an empty log (which would forget a
 * vote: a Raft safety violation). The high-water mark file is written before the link, so
 * a log never exists without one; and a mark that remembers stored state while the log file
 * is missing means the log was deleted: that is refused too. Runs under the log's lock.
 */
import { chmodSync, existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteLogError } from './errors.js';
import { fsyncPath } from './fs-sync.js';
import { createHighWaterMark, highWaterMarkPath, readHighWaterMark, ZERO_MARK } from './high-water-mark.js';
import { APPLICATION_ID, MIGRATIONS, type Migration, migrate } from './schema.js';

/**
 * What kind of file to create: a log of its own (`LOG_FILE`), or a store of many groups' logs
 * (`SqliteLogStore`). Both are built the same way; they differ in schema and mark file.
 */
export interface NewFileKind {
  readonly applicationId: number;
  readonly migrations: readonly Migration[];
  /** Refuse to create the file where a mark file left behind remembers stored state. */
  checkNoMarkLeft(path: string): void;
  /** Write the new file's mark file (remembering nothing). */
  createMark(path: string): void;
}

/** Refuse to create a log where a high-water mark remembers one that was deleted. */
function checkNoMarkLeft(path: string): void {
  const file = highWaterMarkPath(path);
  const found = readHighWaterMark(file);
  if (found.kind === 'damaged') {
    throw new SqliteLogError(
      'LOG_CORRUPT',
      path,
      `the log file is missing and its high-water mark ${file} is damaged; refusing to start a new log over it`,
    );
  }
  if (found.kind === 'ok') {
    const { term, vote, lastIndex } = found.mark;
    if (term !== 0 || lastIndex !== 0) {
      throw new SqliteLogError(
        'LOG_ROLLED_BACK',
        path,
        `the log file is missing, but its high-water mark ${file} says term ${term}, vote ${vote ?? 'none'} ` +
          `and entries up to ${lastIndex} were stored: the log was deleted or moved; a new empty log would ` +
          'forget that vote. Restore the log, or remove the node and add it back as a new member',
      );
    }
  }
}

/** A log of its own: one high-water mark. */
export const LOG_FILE: NewFileKind = Object.freeze({
  applicationId: APPLICATION_ID,
  migrations: MIGRATIONS,
  checkNoMarkLeft,
  createMark: (path: string) => createHighWaterMark(highWaterMarkPath(path), ZERO_MARK),
});

/** Create an empty log at `path`. Returns false if another process created it first. */
export function createLogFile(path: string, kind: NewFileKind = LOG_FILE): boolean {
  kind.checkNoMarkLeft(path);
  const temp = `${path}.creating-${process.pid}`;
  for (const leftover of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`])
    rmSync(leftover, { force: true });
  const db = new Database(temp);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`application_id = ${kind.applicationId}`);
    migrate(db, 0, kind.migrations);
  } finally {
    // Closing checkpoints the WAL into the file and removes the WAL.
    db.close();
  }
  // The log holds the replicated data and the node's votes: owner only (SQLite gives its
  // -wal file the same mode).
  chmodSync(temp, 0o600);
  fsyncPath(temp, 'r+');
  kind.createMark(path);
  let created = true;
  try {
    // link, unlike rename, never replaces a file that appeared meanwhile.
    linkSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') created = false;
    else if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // A file system without hard links: rename, unless the log appeared meanwhile.
    else if (existsSync(path)) created = false;
    else renameSync(temp, path);
  }
  rmSync(temp, { force: true });
  fsyncPath(dirname(path));
  return created;
}
