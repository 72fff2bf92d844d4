/**
 * What `kv cluster` (the launcher, `LocalCluster` with controls) and its nodes say to each
 * other so that the cluster view can stop, start, pause and partition nodes:
 *
 * - the launcher serves `POST /nodes/:id/:action` on loopback (`launcher-control.ts`), and
 *   tells each node where with `KV_LAUNCHER_URL`, and the bearer token both sides use with
 *   `KV_LAUNCHER_TOKEN`, in the node's environment (never its argv, which other users see);
 * - a node relays the page's `POST /cluster/nodes/:id/:action` there (`launcher-hook.ts`);
 * - the launcher pushes `LauncherState` to every node (`POST /admin/launcher-state`) when it
 *   changes: the peers each node must drop Raft traffic with, and every process's state,
 *   which the nodes stream to the page.
 *
 * Without those variables a node has no launcher routes at all.
 */
import type { NodeId } from 'raft-io';
import { HttpError } from './http-errors.js';
import type { ProcessState } from './live-types.js';

export const LAUNCHER_URL_ENV = 'KV_LAUNCHER_URL';
export const LAUNCHER_TOKEN_ENV = 'KV_LAUNCHER_TOKEN';

/** What the launcher can do to a node's process. */
export const LAUNCHER_ACTIONS = ['stop', 'kill', 'start', 'pause', 'resume', 'partition', 'heal'] as const;
export type LauncherAction = (typeof LAUNCHER_ACTIONS)[number];

/** Where a node finds its launcher. */
export interface LauncherLink {
  /** `http://127.0.0.1:PORT` of the launcher's control server. */
  readonly url: string;
  /** The bearer token of both directions (16+ printable characters). */
  readonly token: string;
}

/** What the launcher pushes to a node. */
export interface LauncherState {
  /** Peers the node must drop Raft traffic to and from. */
  readonly blocked: readonly NodeId[];
  /** Every process the launcher owns, by node id. */
  readonly processes: Readonly<Record<string, ProcessState>>;
}

const PROCESS_STATES = new Set<string>(['running', 'starting', 'stopping', 'stopped', 'paused']);
const isId = (v: unknown): v is NodeId => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

export function isLauncherAction(text: string): text is LauncherAction {
  return (LAUNCHER_ACTIONS as readonly string[]).includes(text);
}

/** Check a pushed `LauncherState` (at most `maxNodes` entries each); throws `HttpError` 400. */
export function parseLauncherState(value: unknown, maxNodes = 64): LauncherState {
  const bad = (why: string) => new HttpError(400, 'BAD_REQUEST', `launcher state: ${why}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('not an object');
  const o = value as Record<string, unknown>;
  if (!Array.isArray(o.blocked) || o.blocked.length > maxNodes || !o.blocked.every(isId))
    throw bad('blocked must be a list of node ids');
  const p = o.processes;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw bad('processes must be an object');
  const entries = Object.entries(p as Record<string, unknown>);
  if (entries.length > maxNodes) throw bad('too many processes');
  const processes: Record<string, ProcessState> = {};
  for (const [id, state] of entries) {
    if (!isId(Number(id)) || typeof state !== 'string' || !PROCESS_STATES.has(state))
      throw bad(`bad process entry ${JSON.stringify(id)}`);
    processes[String(Number(id))] = state as ProcessState;
  }
  return { blocked: [...(o.blocked as NodeId[])], processes };
}
