/**
 * Interaction scripts on the model checker's states: a scenario's setup lines, and the
 * replay of a counterexample (`raft-check --replay FILE`), run through the same transition
 * function as the search, with every invariant checked after every step. The script
 * language is the testkit's (`runInteraction` replays the same file and prints a
 * transcript); the commands that only shape a network by hand (`partition`, `cut`,
 * `isolate`, `heal`, `load`) are not part of the checker's model.
 */
import type { MembershipChange, NodeId } from '@raft-io/core';
import { ScriptError } from '../errors.js';
import { formatMessage } from '../format.js';
import { parseClusterCommand } from '../interaction/cluster-line.js';
import { messageText } from '../interaction/interaction-env.js';
import { parseScript, type ScriptCommand } from '../interaction/parse-script.js';
import type { CheckEvent } from './events.js';
import type { CheckViolation } from './invariants.js';
import { applyEvent, type ModelContext } from './model.js';
import type { CheckState } from './state.js';

/** `deliver all` stops after this many rounds, as in `runInteraction`. */
const MAX_ROUNDS = 100;

export interface ScriptRun {
  state: CheckState;
  violation: CheckViolation | null;
  /** The script line of the command during which the violation appeared. */
  line: number;
  /** Node steps taken. */
  steps: number;
}

/** The `cluster` command of a script (its first command). */
export function clusterCommand(script: string): { command: ScriptCommand; rest: ScriptCommand[] } {
  const commands = parseScript(script).flatMap((l) => (l.kind === 'command' ? [l.command] : []));
  const first = commands[0];
  if (first === undefined || first.name !== 'cluster')
    throw new ScriptError(first?.line ?? 1, 'the script must start with `cluster N`');
  parseClusterCommand(first);
  return { command: first, rest: commands.slice(1) };
}

/**
 * Run `commands` from `state`, stopping at the first violation. A request the node refuses
 * leaves the state as it was (as `runInteraction` prints the error and goes on). With
 * `free`, no bound is used up (setup scripts).
 */
export function runScript(
  state: CheckState,
  commands: readonly ScriptCommand[],
  ctx: ModelContext,
  free: boolean,
): ScriptRun {
  const run: ScriptRun = { state, violation: null, line: 0, steps: 0 };
  const apply = (e: CheckEvent): boolean => {
    const t = applyEvent(run.state, e, ctx, free);
    run.steps++;
    if (t.kind === 'none') return true;
    run.state = t.state;
    run.violation = t.violation;
    return t.violation === null;
  };
  for (const c of commands) {
    run.line = c.line;
    if (!runCommand(run, c, apply)) return run;
  }
  return run;
}

function runCommand(run: ScriptRun, c: ScriptCommand, apply: (e: CheckEvent) => boolean): boolean {
  const cluster = () => run.state.cluster;
  const node = (i: number): NodeId => {
    const a = c.args[i];
    const id = Number(a);
    if (a === undefined || !cluster().has(id)) throw new ScriptError(c.line, `no node ${a ?? ''}`);
    return id;
  };
  const running = (id: NodeId) => cluster().member(id).node !== null;
  const deliverRound = (pick: (m: { from: NodeId; to: NodeId }) => boolean): boolean => {
    for (const m of cluster().queue.filter(pick)) {
      if (!apply({ kind: running(m.to) ? 'deliver' : 'drop', message: m })) return false;
    }
    return true;
  };
  const deliverAll = (): boolean => {
    for (let round = 0; cluster().queue.length > 0 && round < MAX_ROUNDS; round++) {
      if (!deliverRound(() => true)) return false;
    }
    return true;
  };
  const message = () => {
    const text = messageText(c);
    const m = cluster().queue.find((q) => formatMessage(q) === text);
    if (m === undefined) throw new ScriptError(c.line, `no queued message "${text}"`);
    return m;
  };
  switch (c.name) {
    case 'campaign':
    case 'crash':
    case 'restart':
    case 'snapshot':
      return apply({ kind: c.name, node: node(0) });
    case 'tick': {
      const k = c.args[1] === undefined ? 1 : Number(c.args[1]);
      const ids = c.args[0] === 'all' ? cluster().ids : [node(0)];
      for (let i = 0; i < k; i++) {
        for (const id of ids) if (running(id) && !apply({ kind: 'tick', node: id })) return false;
      }
      return true;
    }
    case 'run': {
      const k = Number(c.args[0]);
      for (let i = 0; i < k; i++) {
        for (const id of cluster().ids) if (running(id) && !apply({ kind: 'tick', node: id })) return false;
        if (!deliverAll()) return false;
      }
      return true;
    }
    case 'deliver': {
      if (c.args[0] === 'all') return deliverAll();
      if (c.args.length === 0) return deliverRound(() => true);
      if (c.args.length > 1) return apply({ kind: 'deliver', message: message() });
      const [from, to] = link(c, (id) => cluster().has(id));
      return deliverRound((m) => m.from === from && m.to === to);
    }
    case 'duplicate':
      return apply({ kind: 'duplicate', message: message() });
    case 'drop': {
      if (c.args.length === 0) {
        for (const m of cluster().queue.slice()) if (!apply({ kind: 'drop', message: m })) return false;
        return true;
      }
      if (c.args.length > 1) return apply({ kind: 'drop', message: message() });
      const [from, to] = link(c, (id) => cluster().has(id));
      for (const m of cluster().queue.filter((q) => q.from === from && q.to === to))
        if (!apply({ kind: 'drop', message: m })) return false;
      return true;
    }
    case 'propose':
      return apply({ kind: 'propose', node: node(0), command: c.args[1] ?? '' });
    case 'read':
      return apply({ kind: 'read', node: node(0), id: c.args[1] ?? '' });
    case 'transfer':
      return apply({ kind: 'transfer', node: node(0), to: node(1) });
    case 'change':
      return apply({ kind: 'change', node: node(0), changes: changes(c, node) });
    case 'status':
    case 'log':
      return true;
    default:
      throw new ScriptError(c.line, `"${c.name}" is not part of the model checker's model`);
  }
}

function link(c: ScriptCommand, has: (id: NodeId) => boolean): [NodeId, NodeId] {
  const parts = (c.args[0] ?? '').split('->').map(Number);
  if (parts.length !== 2) throw new ScriptError(c.line, `expected A->B, got "${c.args[0] ?? ''}"`);
  for (const id of parts) if (!has(id)) throw new ScriptError(c.line, `no node ${id}`);
  return [parts[0]!, parts[1]!];
}

function changes(c: ScriptCommand, node: (i: number) => NodeId): MembershipChange[] {
  const out: MembershipChange[] = [];
  for (let i = 1; i < c.args.length; i += 2) {
    const type = c.args[i];
    if (type !== 'add-voter' && type !== 'add-learner' && type !== 'remove')
      throw new ScriptError(c.line, `unknown membership change "${type ?? ''}"`);
    out.push({ type, id: node(i + 1) });
  }
  if (out.length === 0) throw new ScriptError(c.line, 'change N (add-voter|add-learner|remove) M ...');
  return out;
}
