/**
 * Every SQL statement the log runs, prepared once per connection. Reads of entries use raw
 * (array) rows, which skip building an object per row, and always fetch the row's `crc`, so
 * that every entry read from the file is checked.
 */
import type { Database, Statement } from 'better-sqlite3';

/** A raw entries row: `[idx, term, type, data, crc]`, as the file holds it (unchecked). */
export type EntryRow = [number, number, number, Buffer, number];

/** A raw identity row: `[node_id, cluster_id, crc]`. */
export type IdentityRow = [number, number, number];

const ENTRY_COLUMNS = 'idx, term, type, data, crc';

export interface Statements {
  readonly insertEntry: Statement<[number, number, number, Uint8Array, number]>;
  readonly deleteFrom: Statement<[number]>;
  readonly deleteThrough: Statement<[number]>;
  readonly setHardState: Statement<[number, number | null, number, number]>;
  readonly setCompaction: Statement<[number, number, number]>;
  readonly setSnapshotMeta: Statement<[number, number, string, number]>;
  readonly setSnapshotData: Statement<[Uint8Array, number]>;
  readonly setIdentity: Statement<[number, number, number]>;
  /** Raw: `[data, crc]` of the snapshot, or undefined. */
  readonly snapshotData: Statement<[], [Buffer, number]>;
  /** Raw row at an index, or undefined. */
  readonly entryAt: Statement<[number], EntryRow>;
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
  const rows = <P extends unknown[]>(sql: string) => db.prepare<P, EntryRow>(sql).raw();
  return {
    insertEntry: db.prepare(`INSERT INTO entries (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?)`),
    deleteFrom: db.prepare('DELETE FROM entries WHERE idx >= ?'),
    deleteThrough: db.prepare('DELETE FROM entries WHERE idx <= ?'),
    setHardState: db.prepare(
      'UPDATE hard_state SET term = ?, vote = ?, commit_index = ?, crc = ? WHERE id = 0',
    ),
    setCompaction: db.prepare('UPDATE compaction SET idx = ?, term = ?, crc = ? WHERE id = 0'),
    setSnapshotMeta: db.prepare(
      'INSERT OR REPLACE INTO snapshot_meta (id, idx, term, membership, crc) VALUES (0, ?, ?, ?, ?)',
    ),
    setSnapshotData: db.prepare('INSERT OR REPLACE INTO snapshot_data (id, data, crc) VALUES (0, ?, ?)'),
    setIdentity: db.prepare('INSERT INTO identity (id, node_id, cluster_id, crc) VALUES (0, ?, ?, ?)'),
    snapshotData: db.prepare<[], [Buffer, number]>('SELECT data, crc FROM snapshot_data WHERE id = 0').raw(),
    entryAt: rows<[number]>(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE idx = ?`),
    range: rows<[number, number]>(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx`,
    ),
    rangeLimit: rows<[number, number, number]>(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx LIMIT ?`,
    ),
    rangeOfType: rows<[number, number, number]>(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE idx >= ? AND idx < ? AND type = ? ORDER BY idx`,
    ),
    tail: rows<[number]>(`SELECT ${ENTRY_COLUMNS} FROM entries ORDER BY idx DESC LIMIT ?`),
  };
}
