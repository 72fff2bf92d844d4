/**
 * The options of the operations commands, `kv backup`, `kv restore`, `kv recover` and
 * `kv inspect`: argv to typed options. Pure, so every flag is tested without a process.
 *
 * A member list (`--members`, `--learners`) is comma-separated; each item is an id, or
 * `id=host:port` (where its Raft transport listens), or `id=host:port@http://host:port` (and
 * its HTTP URL, the kv demo's member metadata): `1=10.0.0.1:7001@http://10.0.0.1:8001,2,3`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MemberInfo, NodeId, PeerAddress } from 'raft-io';
import { parseHostPort, parseNodeId, UsageError } from './addresses.js';
import { int, statusTokenFrom } from './node-args.js';

export interface MemberSpec {
  readonly id: NodeId;
  readonly raft?: PeerAddress;
  readonly url?: string;
}

/** The new membership of `kv restore` / `kv recover`. */
export interface MembersOption {
  readonly voters: NodeId[];
  readonly learners: NodeId[];
  readonly memberInfo: Record<NodeId, MemberInfo>;
}

function httpUrl(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${what}: bad URL ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${what}: the URL must be http:// or https://, got ${text}`);
  return url.origin;
}

/** `1,2=host:port,3=host:port@http://host:port` to member specs (ids unique). */
export function parseMembers(text: string, what: string): MemberSpec[] {
  if (text.trim() === '') return [];
  const members = text.split(',').map((item) => {
    const m = /^(\d+)(?:=([^@]+)(?:@(.+))?)?$/.exec(item.trim());
    if (!m)
      throw new UsageError(
        `${what}: expected id, id=host:port or id=host:port@url, got ${JSON.stringify(item)}`,
      );
    const id = parseNodeId(m[1]!, what);
    return {
      id,
      ...(m[2] !== undefined ? { raft: parseHostPort(m[2], what, false) } : {}),
      ...(m[3] !== undefined ? { url: httpUrl(m[3], what) } : {}),
    };
  });
  const ids = members.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new UsageError(`${what}: a member is listed twice`);
  return members;
}

function formatAddress(a: PeerAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** Voters and learners as a raft-io membership: ids, and each one's address and URL as member info. */
export function membersOption(voters: readonly MemberSpec[], learners: readonly MemberSpec[]): MembersOption {
  const memberInfo: Record<NodeId, MemberInfo> = {};
  for (const m of [...voters, ...learners]) {
    if (m.raft === undefined && m.url === undefined) continue;
    memberInfo[m.id] = {
      ...(m.raft !== undefined ? { address: formatAddress(m.raft) } : {}),
      ...(m.url !== undefined ? { metadata: m.url } : {}),
    };
  }
  return { voters: voters.map((m) => m.id), learners: learners.map((m) => m.id), memberInfo };
}

const stringFlag = { type: 'string' } as const;

export interface BackupArgs {
  /** The node to back up: its HTTP base URL. */
  readonly url: string;
  /** Where the backup goes. */
  readonly out: string;
  /** Back up what that node has applied, without confirming a read index with the leader. */
  readonly local: boolean;
  readonly statusToken?: string;
}

/** `kv backup --url URL --out FILE [--local] [--status-token TOKEN]`. */
export function parseBackupArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): BackupArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: stringFlag,
      out: stringFlag,
      local: { type: 'boolean', default: false },
      'status-token': stringFlag,
    },
    strict: true,
  });
  if (!values.url || !values.out) throw new UsageError('kv backup needs --url and --out');
  const statusToken = statusTokenFrom(values['status-token'], env);
  return {
    url: httpUrl(values.url, '--url'),
    out: resolve(values.out),
    local: values.local ?? false,
    ...(statusToken !== undefined ? { statusToken } : {}),
  };
}

export interface RestoreArgs extends MembersOption {
  readonly backup: string;
  readonly dataDir: string;
  readonly id: NodeId;
  readonly clusterId: number;
}

/** `kv restore --backup FILE --data DIR --id N --cluster-id N --members SPEC [--learners SPEC]`. */
export function parseRestoreArgs(argv: readonly string[]): RestoreArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      backup: stringFlag,
      data: stringFlag,
      id: stringFlag,
      'cluster-id': stringFlag,
      members: stringFlag,
      learners: stringFlag,
    },
    strict: true,
  });
  if (!values.backup || !values.data || !values.id || values['cluster-id'] === undefined || !values.members)
    throw new UsageError('kv restore needs --backup, --data, --id, --cluster-id and --members');
  return {
    backup: resolve(values.backup),
    dataDir: resolve(values.data),
    id: parseNodeId(values.id, '--id'),
    clusterId: int(values['cluster-id'], '--cluster-id', 0),
    ...membersOption(
      parseMembers(values.members, '--members'),
      parseMembers(values.learners ?? '', '--learners'),
    ),
  };
}

export interface RecoverArgs extends MembersOption {
  readonly dataDir: string;
  readonly id?: NodeId;
  readonly clusterId?: number;
  readonly discardUncommitted: boolean;
  readonly dryRun: boolean;
}

/** `kv recover --data DIR --members SPEC [--learners SPEC] [--id N] [--cluster-id N] [--discard-uncommitted] [--dry-run]`. */
export function parseRecoverArgs(argv: readonly string[]): RecoverArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: stringFlag,
      members: stringFlag,
      learners: stringFlag,
      id: stringFlag,
      'cluster-id': stringFlag,
      'discard-uncommitted': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.data || !values.members) throw new UsageError('kv recover needs --data and --members');
  return {
    dataDir: resolve(values.data),
    ...(values.id !== undefined ? { id: parseNodeId(values.id, '--id') } : {}),
    ...(values['cluster-id'] !== undefined
      ? { clusterId: int(values['cluster-id'], '--cluster-id', 0) }
      : {}),
    ...membersOption(
      parseMembers(values.members, '--members'),
      parseMembers(values.learners ?? '', '--learners'),
    ),
    discardUncommitted: values['discard-uncommitted'] ?? false,
    dryRun: values['dry-run'] ?? false,
  };
}

/** `kv inspect --data DIR`. */
export function parseInspectArgs(argv: readonly string[]): { readonly dataDir: string } {
  const { values } = parseArgs({ args: [...argv], options: { data: stringFlag }, strict: true });
  if (!values.data) throw new UsageError('kv inspect needs --data');
  return { dataDir: resolve(values.data) };
}
