/**
 * The `cluster N [options]` line of an interaction script, both ways: parsed into
 * `StepClusterOptions` (by `runInteraction` and `raft-check --replay`) and printed from them
 * (by the model checker, at the top of every counterexample).
 *
 *   cluster N [election=T] [heartbeat=T] [prevote=on|off] [checkquorum=on|off] [lease=on|off]
 *             [maxmsg=B] [inflight=K] [chunk=B] [tail=K] [voters=1,2,3] [learners=4] [seed=S]
 */
import type { NodeId } from '@raft-io/core';
import { ScriptError } from '../errors.js';
import type { ScriptCommand } from './parse-script.js';
import type { StepClusterOptions, StepRaftOptions } from './step-cluster.js';

/** Script option name -> Raft option. */
const RAFT_KEYS: Readonly<Record<string, keyof StepRaftOptions>> = Object.freeze({
  election: 'electionTick',
  heartbeat: 'heartbeatTick',
  prevote: 'preVote',
  checkquorum: 'checkQuorum',
  lease: 'leaseRead',
  maxmsg: 'maxSizePerMsg',
  inflight: 'maxInflightMsgs',
  chunk: 'snapshotChunkSize',
  tail: 'compactionTail',
});

/** The Raft options a script can set, by their script names. */
export const SCRIPT_RAFT_OPTIONS: readonly (keyof StepRaftOptions)[] = Object.freeze(
  Object.values(RAFT_KEYS),
);

/** `cluster N ...` as options for `StepCluster` (without `core`). */
export function parseClusterCommand(c: ScriptCommand): StepClusterOptions {
  const n = Number(c.args[0]);
  if (!Number.isInteger(n) || n < 1) throw new ScriptError(c.line, 'cluster needs a node count');
  const raft: Record<string, number | boolean> = {};
  let voters: NodeId[] | undefined;
  let learners: NodeId[] | undefined;
  let seed: number | undefined;
  for (const kv of c.args.slice(1)) {
    const [k, v] = kv.split('=');
    if (k === undefined || v === undefined) throw new ScriptError(c.line, `unknown option "${kv}"`);
    if (k === 'voters' || k === 'learners') {
      const list = v === '' ? [] : v.split(',').map(Number);
      if (list.some((id) => !Number.isInteger(id) || id < 1 || id > n))
        throw new ScriptError(c.line, `${k} must list nodes 1..${n}, got "${v}"`);
      if (k === 'voters') voters = list;
      else learners = list;
      continue;
    }
    if (k === 'seed') {
      seed = Number(v);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
        throw new ScriptError(c.line, `seed must be an unsigned 32-bit integer, got "${v}"`);
      continue;
    }
    const key = RAFT_KEYS[k];
    if (key === undefined) throw new ScriptError(c.line, `unknown option "${kv}"`);
    raft[key] = v === 'on' ? true : v === 'off' ? false : Number(v);
  }
  return {
    nodes: n,
    raft: raft as StepRaftOptions,
    ...(voters ? { voters } : {}),
    ...(learners ? { learners } : {}),
    ...(seed === undefined ? {} : { seed }),
  };
}

/** The `cluster` line that `parseClusterCommand` turns back into `options`. */
export function formatClusterLine(options: StepClusterOptions): string {
  const parts = [`cluster ${options.nodes}`];
  const raft = options.raft ?? {};
  for (const [name, key] of Object.entries(RAFT_KEYS)) {
    const v = raft[key];
    if (v === undefined) continue;
    parts.push(`${name}=${v === true ? 'on' : v === false ? 'off' : v}`);
  }
  for (const key of Object.keys(raft)) {
    if (!SCRIPT_RAFT_OPTIONS.includes(key as keyof StepRaftOptions))
      throw new ScriptError(0, `the Raft option ${key} has no name in the script language`);
  }
  const all = Array.from({ length: options.nodes }, (_, i) => i + 1);
  if (options.voters && options.voters.join(',') !== all.join(','))
    parts.push(`voters=${options.voters.join(',')}`);
  if (options.learners && options.learners.length > 0) parts.push(`learners=${options.learners.join(',')}`);
  if (options.seed !== undefined) parts.push(`seed=${options.seed}`);
  return parts.join(' ');
}
