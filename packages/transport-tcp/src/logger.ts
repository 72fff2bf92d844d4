/**
 * The logger the transport writes to: the shape of pino's (and most structured loggers'),
 * `(fields, message)`, so a pino instance plugs in as is. The default writes nothing.
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

/** A logger that discards everything (the default). */
export const NOOP_LOGGER: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
