/**
 * The on-disk schema and its migrations. A log file is marked as ours by
 * `PRAGMA application_id` and versioned by `PRAGMA user_version`; opening a file of an
 * older version runs the migrations after it, each in its own transaction with the version
 * bump, and a file of a newer version than `SCHEMA_VERSION` is refused untouched.
 *
 * Tables (version 2):
 * - `entries(idx, term, type, data, crc)`: the log; `idx` is the rowid, so ranges and point
 *   reads are B-tree seeks whatever the size of the log.
 * - `hard_state(term, vote, commit_index, crc)`: one row.
 * - `compaction(idx, term, crc)`: one row, the compaction point (`firstIndex() - 1`).
 * - `snapshot_meta(idx, term, membership, crc)`: zero or one row; membership as JSON.
 * - `snapshot_data(data, crc)`: zero or one row, apart so reading the metadata never reads
 *   the bytes.
 * - `identity(node_id, cluster_id, crc)`: zero or one row, the node and cluster the log
 *   belongs to (version 2).
 * Every `crc` is the CRC32C of its row (see `checksums.ts`), checked on every read.
 */
import Database from 'better-sqlite3';
import { compactionCrc, entryCrc, hardStateCrc, snapshotDataCrc, snapshotMetaCrc } from './checksums.js';
import { APPLICATION_ID, SCHEMA_VERSION } from './file-format.js';

export { APPLICATION_ID, SCHEMA_VERSION };

/** One step of the schema: brings a file from `version - 1` to `version`. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    description: 'entries, hard state, compaction point, snapshot',
    up(db: Database.Database): void {
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
  {
    version: 2,
    description: 'a CRC32C in every row, and the identity table',
    up(db: Database.Database): void {
      db.exec(`
        ALTER TABLE entries ADD COLUMN crc INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE hard_state ADD COLUMN crc INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE compaction ADD COLUMN crc INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE snapshot_meta ADD COLUMN crc INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE snapshot_data ADD COLUMN crc INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE identity (
          id INTEGER PRIMARY KEY CHECK (id = 0),
          node_id INTEGER NOT NULL,
          cluster_id INTEGER NOT NULL,
          crc INTEGER NOT NULL
        ) STRICT;
      `);
      // The rows of a version 1 file passed quick_check just before this runs: checksum
      // them as they are. One statement for the entries, whatever their number.
      db.function('raft_io_entry_crc', { deterministic: true }, (idx, term, type, data) =>
        entryCrc(idx as number, term as number, type as number, data as Buffer),
      );
      db.exec('UPDATE entries SET crc = raft_io_entry_crc(idx, term, type, data)');
      const hs = db.prepare('SELECT term, vote, commit_index AS c FROM hard_state').all() as Array<{
        term: number;
        vote: number | null;
        c: number;
      }>;
      for (const r of hs) db.prepare('UPDATE hard_state SET crc = ?').run(hardStateCrc(r.term, r.vote, r.c));
      const cp = db.prepare('SELECT idx, term FROM compaction').all() as Array<{ idx: number; term: number }>;
      for (const r of cp) db.prepare('UPDATE compaction SET crc = ?').run(compactionCrc(r.idx, r.term));
      const meta = db.prepare('SELECT idx, term, membership FROM snapshot_meta').get() as
        | { idx: number; term: number; membership: string }
        | undefined;
      if (meta !== undefined) {
        db.prepare('UPDATE snapshot_meta SET crc = ?').run(
          snapshotMetaCrc(meta.idx, meta.term, meta.membership),
        );
        const data = db.prepare('SELECT data FROM snapshot_data').pluck().get() as Buffer | undefined;
        if (data !== undefined) {
          db.prepare('UPDATE snapshot_data SET crc = ?').run(snapshotDataCrc(meta.idx, meta.term, data));
        }
      }
    },
  },
]);

/** The tables and columns of a version 1 file, checked before it is migrated. */
export const REQUIRED_TABLES_V1: Readonly<Record<string, readonly string[]>> = Object.freeze({
  entries: ['idx', 'term', 'type', 'data'],
  hard_state: ['id', 'term', 'vote', 'commit_index'],
  compaction: ['id', 'idx', 'term'],
  snapshot_meta: ['id', 'idx', 'term', 'membership'],
  snapshot_data: ['id', 'data'],
});

/** The tables and columns the log needs, checked on open. */
export const REQUIRED_TABLES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  entries: ['idx', 'term', 'type', 'data', 'crc'],
  hard_state: ['id', 'term', 'vote', 'commit_index', 'crc'],
  compaction: ['id', 'idx', 'term', 'crc'],
  snapshot_meta: ['id', 'idx', 'term', 'membership', 'crc'],
  snapshot_data: ['id', 'data', 'crc'],
  identity: ['id', 'node_id', 'cluster_id', 'crc'],
});

/** One row of `sqlite_schema`, without its root page (which differs from file to file). */
export type SchemaRow = readonly [type: string, name: string, table: string, sql: string | null];

const SCHEMA_QUERY = 'SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name';

/** The schema rows of `db`, in a fixed order. */
export function schemaRows(db: Database.Database): SchemaRow[] {
  return db.prepare(SCHEMA_QUERY).raw().all() as unknown as SchemaRow[];
}

const expectedCache = new WeakMap<readonly Migration[], readonly SchemaRow[]>();

/**
 * The exact schema (every table's and index's SQL text) that `migrations` build, worked out
 * once on an in-memory database. A file whose schema differs in any byte (a bit flip in a
 * CHECK constraint still parses) is refused: its tables would not behave as the log assumes.
 */
export function expectedSchema(migrations: readonly Migration[] = MIGRATIONS): readonly SchemaRow[] {
  let rows = expectedCache.get(migrations);
  if (rows === undefined) {
    const db = new Database(':memory:');
    try {
      migrate(db, 0, migrations);
      rows = Object.freeze(schemaRows(db));
    } finally {
      db.close();
    }
    expectedCache.set(migrations, rows);
  }
  return rows;
}

/**
 * Run every migration after `from`, in order, each in a transaction that also sets
 * `user_version`, so a crash between two leaves a file at a known version.
 */
export function migrate(
  db: Database.Database,
  from: number,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
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
