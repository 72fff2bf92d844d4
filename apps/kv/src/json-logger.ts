/**
 * A pino-shaped logger that writes one JSON line per record to stderr, at or above a level.
 * Enough for the demo; pass a real pino instance to `RaftServer` in production.
 */
import type { Logger } from 'raft-io';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: 100 };

export function isLogLevel(value: string): value is LogLevel {
  return value in RANK;
}

function plain(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

export function jsonLogger(level: LogLevel, base: Record<string, unknown> = {}): Logger {
  const make =
    (name: Exclude<LogLevel, 'silent'>) =>
    (obj: Record<string, unknown>, msg: string): void => {
      if (RANK[name] < RANK[level]) return;
      const record: Record<string, unknown> = { level: name, time: Date.now(), ...base, msg };
      for (const [k, v] of Object.entries(obj)) record[k] = plain(v);
      process.stderr.write(`${JSON.stringify(record)}\n`);
    };
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}
