/**
 * The logger `RaftServer` writes to: the shape of pino's (`logger.info(obj, msg)`), so a
 * pino instance, a pino child or a small adapter plugs in. Default: silent.
 */

/** One log method: a structured object first, then a message. */
export type LogFn = (obj: Record<string, unknown>, msg: string) => void;

/** A pino-compatible logger. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

/** The default logger: drops everything. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
