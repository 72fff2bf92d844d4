/**
 * The identity and version of a log file, apart from the migrations (`schema.ts`) so that
 * the package's public types reach nothing of better-sqlite3: an app that compiles with
 * `skipLibCheck: false` needs no `@types/better-sqlite3`.
 */

/** `PRAGMA application_id` of a raft-io log: 'RFTL' in ASCII. */
export const APPLICATION_ID = 0x5246544c;

/** The schema version this package writes: the last migration's (test/migrations.test.ts checks). */
export const SCHEMA_VERSION = 2;

/** `PRAGMA application_id` of a raft-io log store (many groups, one file): 'RFTS' in ASCII. */
export const STORE_APPLICATION_ID = 0x52465453;

/** The schema version of a log store this package writes: its last migration's (`store-schema.ts` checks). */
export const STORE_SCHEMA_VERSION = 1;

/**
 * The largest entry or snapshot a log takes. SQLite (as better-sqlite3 builds it) refuses a
 * row past 2^29 bytes with SQLITE_TOOBIG; a write is checked against this bound, 64 KiB below
 * that, before any statement runs, so no write can fail half-way for its size (a store runs
 * a write's statements without a savepoint of their own, see `SqliteGroupLog.write`).
 */
export const MAX_LOG_VALUE_BYTES = 2 ** 29 - 64 * 1024;
