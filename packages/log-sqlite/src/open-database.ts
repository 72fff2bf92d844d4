/**
 * Opens a log file as a checked, migrated SQLite connection, or refuses it with a
 * `SqliteLogError` without changing it. The order matters: the raw header is checked with
 * `fs` first (SQLite never sees an empty, truncated or foreign file), and the files are
 * fsynced through `fs` before SQLite opens them (never after: see `log-lock.ts`); then a
 * read-only connection checks everything that can refuse the file (schema version,
 * `quick_check`, the exact schema, every row's checksum, identity, high-water mark), and
 * only then does the read-write connection open, so a refused file is never rewritten.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { entryFromRow } from './codec.js';
import { createLogFile, LOG_FILE, type NewFileKind } from './create-log-file.js';
import { type LogIdentity, LogIdentityMismatchError, SqliteLogError, toSqliteLogError } from './errors.js';
import { readFileHeader } from './file-header.js';
import { fsyncPath } from './fs-sync.js';
import { type HighWaterMark, highWaterMarkPath, markBehind, readHighWaterMark } from './high-water-mark.js';
import { type LogState, loadLogState } from './log-state.js';
import type { ResolvedSqliteLogOptions } from './options.js';
import {
  APPLICATION_ID,
  expectedSchema,
  MIGRATIONS,
  type Migration,
  migrate,
  REQUIRED_TABLES,
  REQUIRED_TABLES_V1,
  schemaRows,
} from './schema.js';
import type { EntryRow } from './statements.js';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** Check the header of `path`, creating the file first when it is missing and `create` is set. */
export function checkHeader(path: string, create: boolean, kind: NewFileKind = LOG_FILE): void {
  let header: ReturnType<typeof readFileHeader>;
  try {
    header = readFileHeader(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw toSqliteLogError(path, error, 'reading the header');
    if (!create) throw new SqliteLogError('LOG_NOT_FOUND', path, 'no such file (and create is false)');
    try {
      createLogFile(path, kind);
      header = readFileHeader(path);
    } catch (cause) {
      throw toSqliteLogError(path, cause, 'creating a new log');
    }
  }
  switch (header.kind) {
    case 'empty':
      throw new SqliteLogError(
        'LOG_CORRUPT',
        path,
        'the file is empty (0 bytes); a raft-io log file is never empty, so it was truncated or replaced',
      );
    case 'short':
      throw new SqliteLogError(
        'LOG_CORRUPT',
        path,
        `truncated: ${header.size} bytes, less than an SQLite header`,
      );
    case 'not-sqlite':
      throw new SqliteLogError('LOG_CORRUPT', path, 'not an SQLite database (the header magic is wrong)');
    case 'sqlite':
      if (header.applicationId !== kind.applicationId) {
        const other =
          header.applicationId === APPLICATION_ID ? ' (a raft-io log of its own, not a store)' : '';
        throw new SqliteLogError(
          'LOG_NOT_A_RAFT_LOG',
          path,
          `an SQLite database of another application (application_id ${hex(header.applicationId)}, this kind of raft-io file has ${hex(kind.applicationId)})${other}`,
        );
      }
  }
}

/**
 * Fail with `LOG_CORRUPT` unless every table and column the log needs is there: the newest
 * schema's, or (before a migration) version 1's, which every later version extends.
 */
function checkTables(db: Database.Database, path: string, version: number): void {
  checkRequiredTables(db, path, version >= 2 ? REQUIRED_TABLES : REQUIRED_TABLES_V1);
}

/** Fail with `LOG_CORRUPT` unless every table of `required` has every listed column. */
export function checkRequiredTables(
  db: Database.Database,
  path: string,
  required: Readonly<Record<string, readonly string[]>>,
): void {
  for (const [table, columns] of Object.entries(required)) {
    const info = db.pragma(`table_info(${table})`) as Array<{ name: string }>;
    const found = new Set(info.map((c) => c.name));
    const missing = columns.filter((c) => !found.has(c));
    if (found.size === 0 || missing.length > 0) {
      throw new SqliteLogError(
        'LOG_CORRUPT',
        path,
        found.size === 0 ? `table ${table} is missing` : `table ${table} lacks columns ${missing.join(', ')}`,
      );
    }
  }
}

/** Fail with `LOG_CORRUPT` unless the schema is exactly the one `migrations` build. */
export function checkSchema(db: Database.Database, path: string, migrations: readonly Migration[]): void {
  const found = schemaRows(db);
  const expected = expectedSchema(migrations);
  if (JSON.stringify(found) !== JSON.stringify(expected)) {
    const differs =
      found.find((row, i) => JSON.stringify(row) !== JSON.stringify(expected[i])) ?? found.at(-1);
    throw new SqliteLogError(
      'LOG_CORRUPT',
      path,
      `the schema differs from the one this version writes (at ${differs?.[0] ?? 'table'} ${differs?.[1] ?? '?'})`,
    );
  }
}

/**
 * Check the header of `path` with `fs` alone (creating the file first when it is missing
 * and `create` is set), and make durable whatever an earlier process committed without an
 * fsync (group commit, 'normal'): this process will read it and act on it. Call this under
 * the log's lock and before SQLite opens the file, never after: closing a descriptor of
 * the database would drop SQLite's lock on it.
 */
export function prepareFile(path: string, create: boolean, kind: NewFileKind = LOG_FILE): void {
  checkHeader(path, create, kind);
  try {
    for (const file of [path, `${path}-wal`]) if (existsSync(file)) fsyncPath(file, 'r+');
    fsyncPath(dirname(path));
  } catch (error) {
    throw toSqliteLogError(path, error, 'syncing the files before opening');
  }
}

/** What inspecting a file found: its schema version and, when it is current, its state and mark. */
export interface Inspection {
  /** The schema version of the file. */
  readonly version: number;
  /** The checked state (null for an older schema: loaded once migrated). */
  readonly state: LogState | null;
  /** The high-water mark the state was checked against (null for an older schema). */
  readonly mark: { readonly seq: number; readonly mark: HighWaterMark } | null;
}

/**
 * Check `path` (prepared by `prepareFile`) through a read-only connection, so that a file
 * refused here is left byte for byte (a read-write connection would checkpoint the WAL into
 * the database and delete it on close: the evidence of what was lost). Checks the schema
 * version, `quick_check`, the tables and the exact schema, and, for a current file, every
 * row's checksum and invariants, the identity, and that the log is not behind its
 * high-water mark (the frame: `readOnlyCheck`).
 */
export function inspectFile(
  path: string,
  options: ResolvedSqliteLogOptions,
  migrations: readonly Migration[] = MIGRATIONS,
): Inspection {
  const newest = migrations[migrations.length - 1]!.version;
  return readOnlyCheck(path, newest, options.quickCheck, LOG_WORDS, (db, version) => {
    checkTables(db, path, version);
    if (version < newest) return { version, state: null, mark: null };
    checkSchema(db, path, migrations);
    const state = loadLogState(db, path, options.quickCheck);
    checkIdentity(path, options.identity, state.identity);
    const entryAt = db
      .prepare<[number], EntryRow>('SELECT idx, term, type, data, crc FROM entries WHERE idx = ?')
      .raw();
    const mark = checkMark(path, state, (index) => {
      const row = entryAt.get(index);
      if (row === undefined) throw new SqliteLogError('LOG_CORRUPT', path, `entry ${index} is missing`);
      return entryFromRow(row, path).term;
    });
    return { version, state, mark };
  });
}

/** How the checks of `readOnlyCheck` name the file in their messages. */
export interface FileWords {
  /** "schema version" or "store schema version". */
  readonly schema: string;
  /** What the file's application id says it is: "application id", "store id". */
  readonly id: string;
  /** What the check is doing, for a wrapped error: "checking the log". */
  readonly doing: string;
}

const LOG_WORDS: FileWords = { schema: 'schema version', id: 'application id', doing: 'checking the log' };

/**
 * Open `path` (prepared) through a read-only connection, refuse a schema version above
 * `newest` or below 1 and, with `quickCheck`, a failed `quick_check`, then run `check`. The
 * read-only connection keeps its WAL index in a `-shm` file and may create an empty `-wal`:
 * both are removed afterwards if they were not there before (the caller holds the lock, so no
 * other connection can exist). Errors come out as `SqliteLogError`.
 */
export function readOnlyCheck<T>(
  path: string,
  newest: number,
  quickCheck: boolean,
  words: FileWords,
  check: (db: Database.Database, version: number) => T,
): T {
  const created = [`${path}-shm`, `${path}-wal`].filter((file) => !existsSync(file));
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 0 });
  } catch (error) {
    throw toSqliteLogError(path, error, 'opening');
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > newest) {
      throw new SqliteLogError(
        'LOG_SCHEMA_UNSUPPORTED',
        path,
        `${words.schema} ${version} is newer than ${newest}, the newest this @raft-io/log-sqlite knows; upgrade it`,
      );
    }
    if (version < 1)
      throw new SqliteLogError('LOG_CORRUPT', path, `a raft-io ${words.id} but no schema version`);
    if (quickCheck) {
      const rows = db.pragma('quick_check(20)') as Array<{ quick_check: string }>;
      if (rows.length !== 1 || rows[0]!.quick_check !== 'ok') {
        throw new SqliteLogError(
          'LOG_CORRUPT',
          path,
          `PRAGMA quick_check failed: ${rows.map((r) => r.quick_check).join('; ')}`,
        );
      }
    }
    return check(db, version);
  } catch (error) {
    throw toSqliteLogError(path, error, words.doing);
  } finally {
    db.close();
    for (const file of created) rmSync(file, { force: true });
  }
}

/** Refuse a log recorded as another node or cluster than `requested` (changes nothing). */
export function checkIdentity(
  path: string,
  requested: LogIdentity | null,
  recorded: LogIdentity | null,
): void {
  if (
    requested !== null &&
    recorded !== null &&
    (requested.nodeId !== recorded.nodeId || requested.clusterId !== recorded.clusterId)
  ) {
    throw new LogIdentityMismatchError(path, recorded, requested);
  }
}

/** Read the high-water mark of `path`; refuse the log if it is missing, damaged, or ahead of `state`. */
function checkMark(
  path: string,
  state: LogState,
  termAt: (index: number) => number,
): { seq: number; mark: HighWaterMark } {
  const file = highWaterMarkPath(path);
  const found = readHighWaterMark(file);
  if (found.kind !== 'ok') {
    throw new SqliteLogError(
      'LOG_CORRUPT',
      path,
      found.kind === 'missing'
        ? `its high-water mark file ${file} is missing: the log's files were not copied or moved together`
        : `its high-water mark file ${file} is damaged (no slot passes its checksum)`,
    );
  }
  const problem = markBehind(found.mark, { ...state.hardState, ...state }, termAt);
  if (problem !== null) {
    throw new SqliteLogError(
      'LOG_ROLLED_BACK',
      path,
      `the log is behind its high-water mark: ${problem}. Durable state was lost: the -wal file was ` +
        'deleted, truncated or damaged, or the database was replaced by an older copy. ' +
        "Restore all of the log's files together, or remove the node and add it back as a new member",
    );
  }
  return found;
}

/**
 * Open `path` (inspected by `inspectFile`) for exclusive use: in WAL mode at the configured
 * `synchronous`, migrated to the newest schema. `migrations` is for tests of the migration
 * path.
 */
export function openDatabase(
  path: string,
  options: ResolvedSqliteLogOptions,
  migrations: readonly Migration[] = MIGRATIONS,
  required: (version: number) => Readonly<Record<string, readonly string[]>> = (v) =>
    v >= 2 ? REQUIRED_TABLES : REQUIRED_TABLES_V1,
): Database.Database {
  let db: Database.Database;
  try {
    // timeout 0: a log held by another connection fails at once instead of waiting.
    db = new Database(path, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    throw toSqliteLogError(path, error, 'opening');
  }
  try {
    // Before the first read: WAL then keeps its index in heap memory (no -shm file), and
    // the first read takes a lock that no other connection can share until close.
    db.pragma('locking_mode = EXCLUSIVE');
    const newest = migrations[migrations.length - 1]!.version;
    const version = db.pragma('user_version', { simple: true }) as number;
    // A no-op for every file this package wrote (they are in WAL mode from the start).
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal')
      throw new SqliteLogError('LOG_IO', path, `could not switch to WAL mode (got ${String(mode)})`);
    // Set after the switch to WAL, and read back: better-sqlite3 builds SQLite with
    // SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, which would silently mean NORMAL.
    const level = options.synchronous === 'full' ? 2 : 1;
    db.pragma(`synchronous = ${level}`);
    if (db.pragma('synchronous', { simple: true }) !== level) {
      throw new SqliteLogError('LOG_IO', path, `could not set synchronous = ${options.synchronous}`);
    }
    db.pragma(`cache_size = -${options.pageCacheKiB}`);
    // Bound the WAL file a large write (a snapshot) leaves behind, in bytes.
    db.pragma('journal_size_limit = 67108864');
    if (version < newest) {
      migrate(db, version, migrations);
      checkRequiredTables(db, path, required(newest));
      checkSchema(db, path, migrations);
    }
    return db;
  } catch (error) {
    db.close();
    throw toSqliteLogError(path, error, 'opening');
  }
}
