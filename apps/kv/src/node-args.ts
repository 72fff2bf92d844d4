/**
 * The options of `kv node` and `kv cluster`: argv (and environment) to typed options, with
 * the defaults documented in the README. Pure, so that every flag is tested without
 * starting a process. Secrets come preferably from the environment, since another local
 * user can read a process's argv (`ps`).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from 'raft-io';
import { parseHostPort, parseNodeId, parsePeers, UsageError } from './addresses.js';
import { type HttpLimits, resolveHttpLimits } from './http-limits.js';
import { isLogLevel, type LogLevel } from './json-logger.js';
import type { KvNodeOptions } from './kv-node.js';
import { LAUNCHER_TOKEN_ENV, LAUNCHER_URL_ENV, type LauncherLink } from './launcher-protocol.js';
import { raftSecurityFrom } from './raft-security.js';
import { checkShardCount } from './shard-hash.js';
import { STATUS_TOKEN_ENV, StatusToken } from './status-token.js';

export function int(text: string | undefined, what: string, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${what}: expected an integer >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}

export function level(text: string | undefined, fallback: LogLevel): LogLevel {
  if (text === undefined) return fallback;
  if (!isLogLevel(text))
    throw new UsageError(`--log-level: expected debug, info, warn, error or silent, got ${text}`);
  return text;
}

/** The HTTP limit flags of `kv node`, each to its `HttpLimits` field. */
const HTTP_LIMIT_FLAGS = {
  'max-connections': 'maxConnections',
  'max-pipelined': 'maxPipelinedRequests',
  'max-body': 'maxBodyBytes',
  'max-body-in-flight': 'maxBodyBytesInFlight',
  'headers-timeout-ms': 'headersTimeoutMs',
  'request-timeout-ms': 'requestTimeoutMs',
  'keep-alive-timeout-ms': 'keepAliveTimeoutMs',
} as const satisfies Record<string, keyof HttpLimits>;

type HttpLimitFlag = keyof typeof HTTP_LIMIT_FLAGS;

const stringFlag = { type: 'string' } as const;

/** `check()`, with an `InvalidArgumentError` turned into a `UsageError` about `what`. */
function usage<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(`${what}: ${error.message}`);
    throw error;
  }
}

/** The status token from `--status-token`, else from `KV_STATUS_TOKEN` (empty: none); checked. */
export function statusTokenFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const token = flag ?? env[STATUS_TOKEN_ENV];
  if (token === undefined || token === '') return undefined;
  usage(`--status-token / ${STATUS_TOKEN_ENV}`, () => new StatusToken(token));
  return token;
}

/**
 * The launcher link from `KV_LAUNCHER_URL` and `KV_LAUNCHER_TOKEN` (both or neither; set by
 * `kv cluster` for its nodes, never on a command line); checked.
 */
export function launcherFrom(env: NodeJS.ProcessEnv): LauncherLink | undefined {
  const url = env[LAUNCHER_URL_ENV];
  const token = env[LAUNCHER_TOKEN_ENV];
  if ((url === undefined || url === '') && (token === undefined || token === '')) return undefined;
  if (!url || !token) throw new UsageError(`${LAUNCHER_URL_ENV} and ${LAUNCHER_TOKEN_ENV} go together`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${LAUNCHER_URL_ENV}: not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' || (parsed.hostname !== '127.0.0.1' && parsed.hostname !== 'localhost'))
    throw new UsageError(`${LAUNCHER_URL_ENV}: the launcher listens on http://127.0.0.1 only`);
  usage(LAUNCHER_TOKEN_ENV, () => new StatusToken(token));
  return { url: parsed.origin, token };
}

export interface NodeArgs {
  readonly node: Omit<KvNodeOptions, 'logger'>;
  /** `--join`: the URL of a member of the cluster to join (then `--peers` is not needed). */
  readonly joinUrl?: string;
  /** `--shards N`: run N shards (Raft groups) on one `RaftHost` (`sharded-node.ts`). Default: one group. */
  readonly shards?: number;
  readonly logLevel: LogLevel;
  readonly exitWithParent: boolean;
}

/** `kv node` argv (after `node`) to options. Throws `UsageError`. */
export function parseNodeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): NodeArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      // The node and its cluster.
      id: stringFlag,
      http: stringFlag,
      raft: stringFlag,
      peers: { type: 'string', default: '' },
      data: stringFlag,
      'cluster-id': stringFlag,
      'tick-ms': stringFlag,
      'snapshot-every': stringFlag,
      join: stringFlag,
      'new-member': { type: 'boolean', default: false },
      shards: stringFlag,
      // The HTTP API: limits (see HttpLimits) and the status token.
      'max-connections': stringFlag,
      'max-pipelined': stringFlag,
      'max-body': stringFlag,
      'max-body-in-flight': stringFlag,
      'headers-timeout-ms': stringFlag,
      'request-timeout-ms': stringFlag,
      'keep-alive-timeout-ms': stringFlag,
      'status-token': stringFlag,
      // Raft transport security (see raft-security.ts).
      'cluster-secret-file': stringFlag,
      'tls-key': stringFlag,
      'tls-cert': stringFlag,
      'tls-ca': stringFlag,
      insecure: { type: 'boolean', default: false },
      // The process.
      'log-level': stringFlag,
      'exit-with-parent': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.id || !values.http || !values.raft || !values.data)
    throw new UsageError('kv node needs --id, --http, --raft and --data');
  const httpLimits: Partial<Record<keyof HttpLimits, number>> = {};
  for (const [flag, field] of Object.entries(HTTP_LIMIT_FLAGS) as [HttpLimitFlag, keyof HttpLimits][]) {
    const text = values[flag];
    if (text !== undefined) httpLimits[field] = int(text, `--${flag}`, 0, 1);
  }
  usage('HTTP limits', () => resolveHttpLimits(httpLimits));
  const statusToken = statusTokenFrom(values['status-token'], env);
  const launcher = launcherFrom(env);
  const snapshotEvery = values['snapshot-every'];
  const shards = shardsFrom(values.shards);
  if (shards !== undefined && (values.join !== undefined || values['new-member'] === true))
    throw new UsageError('--shards: a sharded node cannot join a running cluster (--join, --new-member)');
  return {
    node: {
      id: parseNodeId(values.id, '--id'),
      http: parseHostPort(values.http, '--http'),
      raft: parseHostPort(values.raft, '--raft'),
      peers: parsePeers(values.peers ?? ''),
      dataDir: resolve(values.data),
      clusterId: int(values['cluster-id'], '--cluster-id', 1),
      tickIntervalMs: int(values['tick-ms'], '--tick-ms', 100, 1),
      ...(snapshotEvery !== undefined
        ? { snapshotEveryEntries: int(snapshotEvery, '--snapshot-every', 0) }
        : {}),
      join: values.join !== undefined || values['new-member'] === true,
      security: raftSecurityFrom(values, env),
      httpLimits,
      ...(statusToken !== undefined ? { statusToken } : {}),
      ...(launcher !== undefined ? { launcher } : {}),
    },
    ...(values.join !== undefined ? { joinUrl: joinUrl(values.join) } : {}),
    ...(shards !== undefined ? { shards } : {}),
    logLevel: level(values['log-level'], 'info'),
    exitWithParent: values['exit-with-parent'] ?? false,
  };
}

/** `--shards`: the shard count, an integer from 1 to 1024 (`checkShardCount`); absent: not sharded. */
export function shardsFrom(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Digits only: `Number` would take '0x10', '1e2' or ' '.
  return usage('--shards', () => checkShardCount(/^\d+$/.test(text) ? Number(text) : JSON.stringify(text)));
}

/** `--join`: an http(s) URL of a member, without a path. */
function joinUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--join: expected the URL of a member, like http://127.0.0.1:8001, got ${JSON.stringify(text)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--join: expected an http:// URL, got ${JSON.stringify(text)}`);
  return url.origin;
}
