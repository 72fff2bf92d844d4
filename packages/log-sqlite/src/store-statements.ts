/**
 * Every SQL statement of a log store (`SqliteLogStore`), prepared once per connection and
 * bound to a group at each call. Entry reads return raw rows `[idx, term, type, data, crc]`,
 * the same shape as a single log's (see `statements.ts`), so `LogCache` reads both alike.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { EntryRow } from './statements.js';

const ENTRY_COLUMNS = 'idx, term, type, data, crc';

export interface StoreStatements {
  readonly insertEntry: Statement<[number, number, number, number, Uint8Array, number]>;
  readonly deleteFrom: Statement<[number, number]>;
  readonly deleteThrough: Statement<[number, number]>;
  readonly insertHardState: Statement<[number, number, number | null, number, number]>;
  readonly setHardState: Statement<[number, number | null, number, number, number]>;
  readonly insertCompaction: Statement<[number, number, number, number]>;
  readonly setCompaction: Statement<[number, number, number, number]>;
  readonly setSnapshotMeta: Statement<[number, number, number, string, number]>;
  readonly setSnapshotData: Statement<[number, Uint8Array, number]>;
  readonly setIdentity: Statement<[number, number, number]>;
  /** Raw: `[data, crc]` of a group's snapshot, or undefined. */
  readonly snapshotData: Statement<[number], [Buffer, number]>;
  readonly entryAt: Statement<[number, number], EntryRow>;
  readonly range: Statement<[number, number, number], EntryRow>;
  readonly rangeLimit: Statement<[number, number, number, number], EntryRow>;
  readonly rangeOfType: Statement<[number, number, number, number], EntryRow>;
  readonly tail: Statement<[number, number], EntryRow>;
  /** Delete every row of a group, table by table. */
  readonly deleteGroup: readonly Statement<[number]>[];
}

export function prepareStoreStatements(db: Database): StoreStatements {
  const rows = <P extends unknown[]>(sql: string) => db.prepare<P, EntryRow>(sql).raw();
  return {
    insertEntry: db.prepare(`INSERT INTO entries (grp, ${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`),
    deleteFrom: db.prepare('DELETE FROM entries WHERE grp = ? AND idx >= ?'),
    deleteThrough: db.prepare('DELETE FROM entries WHERE grp = ? AND idx <= ?'),
    insertHardState: db.prepare(
      'INSERT INTO hard_state (grp, term, vote, commit_index, crc) VALUES (?, ?, ?, ?, ?)',
    ),
    setHardState: db.prepare(
      'UPDATE hard_state SET term = ?, vote = ?, commit_index = ?, crc = ? WHERE grp = ?',
    ),
    insertCompaction: db.prepare('INSERT INTO compaction (grp, idx, term, crc) VALUES (?, ?, ?, ?)'),
    setCompaction: db.prepare('UPDATE compaction SET idx = ?, term = ?, crc = ? WHERE grp = ?'),
    setSnapshotMeta: db.prepare(
      'INSERT OR REPLACE INTO snapshot_meta (grp, idx, term, membership, crc) VALUES (?, ?, ?, ?, ?)',
    ),
    setSnapshotData: db.prepare('INSERT OR REPLACE INTO snapshot_data (grp, data, crc) VALUES (?, ?, ?)'),
    setIdentity: db.prepare('INSERT INTO identity (id, node_id, cluster_id, crc) VALUES (0, ?, ?, ?)'),
    snapshotData: db
      .prepare<[number], [Buffer, number]>('SELECT data, crc FROM snapshot_data WHERE grp = ?')
      .raw(),
    entryAt: rows<[number, number]>(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE grp = ? AND idx = ?`),
    range: rows<[number, number, number]>(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE grp = ? AND idx >= ? AND idx < ? ORDER BY idx`,
    ),
    rangeLimit: rows<[number, number, number, number]>(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE grp = ? AND idx >= ? AND idx < ? ORDER BY idx LIMIT ?`,
    ),
    rangeOfType: rows<[number, number, number, number]>(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE grp = ? AND idx >= ? AND idx < ? AND type = ? ORDER BY idx`,
    ),
    tail: rows<[number, number]>(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE grp = ? ORDER BY idx DESC LIMIT ?`,
    ),
    deleteGroup: ['entries', 'hard_state', 'compaction', 'snapshot_meta', 'snapshot_data'].map((t) =>
      db.prepare<[number]>(`DELETE FROM ${t} WHERE grp = ?`),
    ),
  };
}
