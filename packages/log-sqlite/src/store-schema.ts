/**
 * The schema of a log store (`SqliteLogStore`): the tables of a single log (see `schema.ts`)
 * with the group id in every key, so one database holds every group's log and one WAL fsync
 * makes every group's writes durable. Its own `application_id` ('RFTS'), so a store is never
 * opened as a single log or the other way round, and its own migrations.
 *
 * Tables (version 1):
 * - `entries(grp, idx, term, type, data, crc)`: every group's log, keyed `(grp, idx)`
 *   (WITHOUT ROWID: the rows live in the key's B-tree, so a group's range is one seek);
 * - `hard_state(grp, term, vote, commit_index, crc)`, `compaction(grp, idx, term, crc)`: one
 *   row per group, both present exactly for the groups the store holds;
 * - `snapshot_meta(grp, idx, term, membership, crc)`, `snapshot_data(grp, data, crc)`: at most
 *   one row per group;
 * - `identity(node_id, cluster_id, crc)`: the host (node) and cluster the store belongs to.
 * Every `crc` covers its group id too (see `checksums.ts`).
 */
import type Database from 'better-sqlite3';
import type { Migration } from './schema.js';

export const STORE_MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    description: 'every group keyed by its id: entries, hard state, compaction point, snapshot; identity',
    up(db: Database.Database): void {
      db.exec(`
        CREATE TABLE entries (
          grp INTEGER NOT NULL,
          idx INTEGER NOT NULL,
          term INTEGER NOT NULL,
          type INTEGER NOT NULL CHECK (type IN (0, 1, 2)),
          data BLOB NOT NULL,
          crc INTEGER NOT NULL,
          PRIMARY KEY (grp, idx)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE hard_state (
          grp INTEGER PRIMARY KEY CHECK (grp > 0),
          term INTEGER NOT NULL,
          vote INTEGER,
          commit_index INTEGER NOT NULL,
          crc INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE compaction (
          grp INTEGER PRIMARY KEY CHECK (grp > 0),
          idx INTEGER NOT NULL,
          term INTEGER NOT NULL,
          crc INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE snapshot_meta (
          grp INTEGER PRIMARY KEY CHECK (grp > 0),
          idx INTEGER NOT NULL,
          term INTEGER NOT NULL,
          membership TEXT NOT NULL,
          crc INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE snapshot_data (
          grp INTEGER PRIMARY KEY CHECK (grp > 0),
          data BLOB NOT NULL,
          crc INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE identity (
          id INTEGER PRIMARY KEY CHECK (id = 0),
          node_id INTEGER NOT NULL,
          cluster_id INTEGER NOT NULL,
          crc INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
]);

/** The tables and columns a store needs, checked on open. */
export const STORE_REQUIRED_TABLES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  entries: ['grp', 'idx', 'term', 'type', 'data', 'crc'],
  hard_state: ['grp', 'term', 'vote', 'commit_index', 'crc'],
  compaction: ['grp', 'idx', 'term', 'crc'],
  snapshot_meta: ['grp', 'idx', 'term', 'membership', 'crc'],
  snapshot_data: ['grp', 'data', 'crc'],
  identity: ['id', 'node_id', 'cluster_id', 'crc'],
});
