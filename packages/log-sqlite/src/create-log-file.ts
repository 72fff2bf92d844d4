/**
 * Creates a new, empty log file atomically: the schema is written to a temporary file,
 * made durable, and linked into place only when complete. So a file at the log's path was
 * always a complete log once; an empty or half-written file there means damage, and
 * opening refuses it instead of starting over with an empty log (which would forget a
 * vote: a Raft safety violation).
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { APPLICATION_ID, migrate } from './schema.js';

/** fsync a file or directory by path. */
export function fsyncPath(path: string, flags = 'r'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Create an empty log at `path`. Returns false if another process created it first. */
export function createLogFile(path: string): boolean {
  const temp = `${path}.creating-${process.pid}`;
  for (const leftover of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`])
    rmSync(leftover, { force: true });
  const db = new Database(temp);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, 0);
  } finally {
    // Closing checkpoints the WAL into the file and removes the WAL.
    db.close();
  }
  fsyncPath(temp, 'r+');
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
