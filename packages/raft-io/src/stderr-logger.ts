/**
 * The default logger of `RaftServer`: warnings and errors as JSON lines on stderr, in pino's
 * shape (`{"level":40,"time":...,"pid":...,"hostname":...,"name":"raft-io","msg":"...",...}`,
 * an `err` field as `{ type, message, stack, code }`), so that a problem is never silent by
 * default and the lines read like the rest of a pino-logging service. Debug and info are
 * dropped unless asked for. Silence is opt-in: pass `logger: 'silent'` (or core's
 * `silentLogger`), or a logger of your own.
 */
import { hostname } from 'node:os';
import type { LogFn, Logger } from '@raft-io/core';

/** pino's numeric levels. */
const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };
/** The levels the stderr logger writes at, lowest first (pino's numbers). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface StderrLoggerOptions {
  /** The lowest level written. Default `'warn'`. */
  readonly level?: LogLevel;
  /** The `name` field of every line. Default `'raft-io'`. */
  readonly name?: string;
  /** Where lines go. Default `process.stderr`. */
  readonly stream?: { write(line: string): unknown };
}

/** An error as pino's standard serializer writes it. */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const out: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.cause !== undefined) out.cause = serializeError(error.cause);
  return out;
}

/** A value JSON can write: errors serialized, bigints as strings, cycles cut. */
function jsonSafe(fields: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(fields, (key, value: unknown) => {
    if (value instanceof Error) return serializeError(value);
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array) return `<${value.length} bytes>`;
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return key === '' ? value : '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

/** A pino-shaped logger that writes JSON lines to stderr (see the module comment). */
export function createStderrLogger(options: StderrLoggerOptions = {}): Logger {
  const min = LEVELS[options.level ?? 'warn'];
  const name = options.name ?? 'raft-io';
  const stream = options.stream ?? process.stderr;
  const host = hostname();
  const at = (level: LogLevel): LogFn => {
    if (LEVELS[level] < min) return () => {};
    return (fields, msg) => {
      const { err, ...rest } = fields ?? {};
      const line = jsonSafe({
        level: LEVELS[level],
        time: Date.now(),
        pid: process.pid,
        hostname: host,
        name,
        ...rest,
        ...(err !== undefined ? { err } : {}),
        msg,
      });
      try {
        stream.write(`${line}\n`);
      } catch {
        // A logger must never throw into the code that logs.
      }
    };
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
