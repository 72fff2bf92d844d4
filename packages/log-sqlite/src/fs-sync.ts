/**
 * fsync by path, for files SQLite does not hold open in this process (a new log file, the
 * database before SQLite opens it, a directory). Never used on the database while SQLite
 * has it open: closing any descriptor of a file drops every POSIX lock this process holds
 * on it, SQLite's included.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';

/** fsync a file or directory by path. */
export function fsyncPath(path: string, flags = 'r'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
