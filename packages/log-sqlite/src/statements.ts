/**
 * Every SQL statement the log runs, prepared once per connection. Reads of entries use raw
 * (array) rows, which skip building an object per row.
 */
import type { Database, Statement } from 'better-sqlite3';

/** A raw entries row: `[idx, term, type, data]`. */
export type EntryRow = [number, number, number, Buffer];

export interface Statements {
  readonly insertEntry: Statement<[number, number, number, Uint8Array]>;
  readonly deleteFrom: Statement<[number]>;
  readonly deleteThrough: Statement<[number]>;
  readonly setHardState: Statement<[number, number | null, number]>;
  readonly setCompaction: Statement<[number, number]>;
  readonly setSnapshotMeta: Statement<[number, number, string]>;
  readonly setSnapshotData: Statement<[Uint8Array]>;
  /** Plucked: the snapshot's bytes, or undefined. */
  readonly snapshotData: Statement<[], Buffer>;
  /** Plucked: the term at an index, or undefined. */
  readonly term: Statement<[number], number>;
  /** Raw rows `[lo, hi)` in order. */
  readonly range: Statement<[number, number], EntryRow>;
  /** Raw rows from `lo`, in order, at most `limit`. */
  readonly rangeLimit: Statement<[number, number, number], EntryRow>;
  /** Raw rows of the entries of one type code in `[lo, hi)`, in order. */
  readonly rangeOfType: Statement<[number, number, number], EntryRow>;
  /** Raw rows of the last `limit` entries, newest first. */
  readonly tail: Statement<[number], EntryRow>;
}

export function prepareStatements(db: Database): Statements {
  return {
    insertEntry: db.prepare('INSERT INTO entries (idx, term, type, data) VALUES (?, ?, ?, ?)'),
    deleteFrom: db.prepare('DELETE FROM entries WHERE idx >= ?'),
    deleteThrough: db.prepare('DELETE FROM entries WHERE idx <= ?'),
    setHardState: db.prepare('UPDATE hard_state SET term = ?, vote = ?, commit_index = ? WHERE id = 0'),
    setCompaction: db.prepare('UPDATE compaction SET idx = ?, term = ? WHERE id = 0'),
    setSnapshotMeta: db.prepare(
      'INSERT OR REPLACE INTO snapshot_meta (id, idx, term, membership) VALUES (0, ?, ?, ?)',
    ),
    setSnapshotData: db.prepare('INSERT OR REPLACE INTO snapshot_data (id, data) VALUES (0, ?)'),
    snapshotData: db.prepare<[], Buffer>('SELECT data FROM snapshot_data WHERE id = 0').pluck(),
    term: db.prepare<[number], number>('SELECT term FROM entries WHERE idx = ?').pluck(),
    range: db
      .prepare<[number, number], EntryRow>(
        'SELECT idx, term, type, data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx',
      )
      .raw(),
    rangeLimit: db
      .prepare<[number, number, number], EntryRow>(
        'SELECT idx, term, type, data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx LIMIT ?',
      )
      .raw(),
    rangeOfType: db
      .prepare<[number, number, number], EntryRow>(
        'SELECT idx, term, type, data FROM entries WHERE idx >= ? AND idx < ? AND type = ? ORDER BY idx',
      )
      .raw(),
    tail: db
      .prepare<[number], EntryRow>('SELECT idx, term, type, data FROM entries ORDER BY idx DESC LIMIT ?')
      .raw(),
  };
}
