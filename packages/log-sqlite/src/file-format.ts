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
