/**
 * Options for this package's own benchmark, never exported from the package: a symbol key
 * that `SqliteLog.open` reads from its options object. `NO_HIGH_WATER_MARK` keeps the mark
 * file as it was at open (no raise, no lowering), so the benchmark can measure the mark's
 * cost in the same run. A log opened so is not protected against losing its WAL.
 */
export const NO_HIGH_WATER_MARK: unique symbol = Symbol('raft-io log-sqlite: no high-water mark (bench)');

/**
 * `SqliteLogStore.open` option for the multi-group benchmark (raft-io's bench:hosts): every
 * group write commits its own transaction, as before one transaction per batch, so the two
 * can be compared in one run. A registry symbol, so the benchmark can pass it through
 * `RaftHost`'s store options without this package exporting it.
 */
export const TRANSACTION_PER_WRITE: unique symbol = Symbol.for(
  'raft-io log-sqlite: a transaction per group write (bench)',
) as never;
