/**
 * The logger shape that raft-io's drivers and adapters accept: pino's
 * (`logger.info(fields, message)`), so a pino instance or child plugs in as is. The core
 * itself logs nothing; it reports through actions and status.
 */

/** One log method: structured fields first, then a short message. */
export type LogFn = (fields: Record<string, unknown>, message: string) => void;

/** A pino-compatible logger. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

/** A logger that discards everything (the default everywhere). */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
