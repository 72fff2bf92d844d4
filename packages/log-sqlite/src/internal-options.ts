/**
 * Options for this package's own benchmark, never exported from the package: a symbol key
 * that `SqliteLog.open` reads from its options object. `NO_HIGH_WATER_MARK` keeps the mark
 * file as it was at open (no raise, no lowering), so the benchmark can measure the mark's
 * cost in the same run. A log opened so is not protected against losing its WAL.
 */
export const NO_HIGH_WATER_MARK: unique symbol = Symbol('raft-io log-sqlite: no high-water mark (bench)');
