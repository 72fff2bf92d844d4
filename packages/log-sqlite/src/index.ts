/**
 * @raft-io/log-sqlite: a durable `RaftLog` for raft-io on one SQLite file (better-sqlite3,
 * WAL mode, an fsync per write by default, optional group commit), with a CRC32C in every
 * row, one writer per log (a lock file), a high-water mark that refuses a log which lost
 * durable state, and the node identity it belongs to. `SqliteLogStore` keeps many Raft groups'
 * logs in one such file (multi-Raft), one fsync for all of them.
 */
export {
  type LogIdentity,
  LogIdentityMismatchError,
  SqliteLogError,
  type SqliteLogErrorReason,
} from './errors.js';
export {
  APPLICATION_ID,
  MAX_LOG_VALUE_BYTES,
  SCHEMA_VERSION,
  STORE_APPLICATION_ID,
  STORE_SCHEMA_VERSION,
} from './file-format.js';
export type { HighWaterMark } from './high-water-mark.js';
export {
  type ResolvedSqliteLogOptions,
  resolveSqliteLogOptions,
  SQLITE_LOG_DEFAULTS,
  type SqliteLogOptions,
  type SqliteSynchronous,
} from './options.js';
export { openSqliteLog, SqliteLog } from './sqlite-log.js';
export {
  groupMarksPath,
  openSqliteLogStore,
  SqliteGroupLog,
  SqliteLogStore,
  type SqliteLogStoreOptions,
  type SqliteLogStoreStats,
} from './sqlite-log-store.js';
