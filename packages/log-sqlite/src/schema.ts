/**
 * The on-disk schema and its migrations. A log file is marked as ours by
 * `PRAGMA application_id` and versioned by `PRAGMA user_version`; opening a file of an
 * older version runs the migrations after it, each in its own transaction with the version
 * bump, and a file of a newer version than `SCHEMA_VERSION` is refused untouched.
 *
 * Tables (version 1):
 * - `entries(idx, term, type, data)`: the log; `idx` is the rowid, so ranges and point
 *   reads are B-tree seeks whatever the size of the log.
 * - `hard_state(term, vote, commit_index)`: one row.
 * - `compaction(idx, term)`: one row, the compaction point (`firstIndex() - 1`).
 * - `snapshot_meta(idx, term, membership)`: zero or one row; membership as JSON.
 * - `snapshot_data(data)`: zero or one row, apart so reading the metadata never reads the bytes.
 */
import type { Database } from 'better-sqlite3';

/** `PRAGMA application_id` of a raft-io log: 'RFTL' in ASCII. */
export const APPLICATION_ID = 0x5246544c;

/** One step of the schema: brings a file from `version - 1` to `version`. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    description: 'entries, hard state, compaction point, snapshot',
    up(db: Database): void {
      db.exec(`
        CREATE TABLE entries (
          idx INTEGER PRIMARY KEY,
          term INTEGER NOT NULL,
          type INTEGER NOT NULL CHECK (type IN (0, 1, 2)),
          data BLOB NOT NULL
        ) STRICT;
        CREATE TABLE hard_state (
          id INTEGER PRIMARY KEY CHECK (id = 0),
          term INTEGER NOT NULL,
          vote INTEGER,
          commit_index INTEGER NOT NULL
        ) STRICT;
        INSERT INTO hard_state (id, term, vote, commit_index) VALUES (0, 0, NULL, 0);
        CREATE TABLE compaction (
          id INTEGER PRIMARY KEY CHECK (id = 0),
          idx INTEGER NOT NULL,
          term INTEGER NOT NULL
        ) STRICT;
        INSERT INTO compaction (id, idx, term) VALUES (0, 0, 0);
        CREATE TABLE snapshot_meta (
          id INTEGER PRIMARY KEY CHECK (id = 0),
          idx INTEGER NOT NULL,
          term INTEGER NOT NULL,
          membership TEXT NOT NULL
        ) STRICT;
        CREATE TABLE snapshot_data (
          id INTEGER PRIMARY KEY CHECK (id = 0),
          data BLOB NOT NULL
        ) STRICT;
      `);
    },
  },
]);

/** The schema version this package writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The tables and columns the log needs, checked on open. */
export const REQUIRED_TABLES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  entries: ['idx', 'term', 'type', 'data'],
  hard_state: ['id', 'term', 'vote', 'commit_index'],
  compaction: ['id', 'idx', 'term'],
  snapshot_meta: ['id', 'idx', 'term', 'membership'],
  snapshot_data: ['id', 'data'],
});

/**
 * Run every migration after `from`, in order, each in a transaction that also sets
 * `user_version`, so a crash between two leaves a file at a known version.
 */
export function migrate(db: Database, from: number, migrations: readonly Migration[] = MIGRATIONS): number {
  let version = from;
  for (const migration of migrations) {
    if (migration.version <= version) continue;
    if (migration.version !== version + 1) {
      throw new Error(`no migration from schema version ${version} to ${migration.version}`);
    }
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    version = migration.version;
  }
  return version;
}
