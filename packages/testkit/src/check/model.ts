/**
 * The transition relation the model checker explores: which events are enabled in a state
 * (within the scenario's bounds) and the state an event leads to, with the invariants
 * checked on the way. Nodes are driven only through their public surface: `step`, `term`,
 * `isLeader`, `commitIndex`, `membership`, `status`.
 *
 * A request the node refuses with an API error (`NOT_LEADER`, `MEMBERSHIP_CHANGE_PENDING`,
 * ...) leads nowhere, and so does an event that changes nothing (no actions, the node's
 * fingerprint unchanged: a `campaign` on a leader, say). Anything else a node throws is a
 * `node-error` violation. Action types the checker does not know are ignored.
 */
import type { Action, Event, Message, NodeId } from '@raft-io/core';
import { errorCode } from '../core-module.js';
import {
  crashMember,
  restartMember,
  type StepClusterSpec,
  type StepMember,
  snapshotEventOf,
  stepMember,
} from '../interaction/step-cluster.js';
import { type CheckEvent, type EventTable, eventNode } from './events.js';
import { cloneGraph } from './graph.js';
import { afterStep, beforeStep, type CheckViolation, crashed, readIssued } from './invariants.js';
import { type CheckBounds, type CheckScenario, changeRequests } from './scenario.js';
import type { CheckState, StateHasher } from './state.js';

/** API errors: the node refused a request and stayed as it was. */
const REFUSALS: ReadonlySet<string> = new Set([
  'NOT_LEADER',
  'LEADERSHIP_LOST',
  'MEMBERSHIP_CHANGE_PENDING',
  'TRANSFER_IN_PROGRESS',
  'UNCOMMITTED_LIMIT',
  'INVALID_ARGUMENT',
]);

const encoder = new TextEncoder();

export interface ModelContext {
  readonly scenario: CheckScenario;
  readonly bounds: CheckBounds;
  readonly hasher: StateHasher;
  readonly events: EventTable;
  readonly cache: LocalStepCache;
}

/** Where an event led. */
export type Transition =
  | { readonly kind: 'state'; readonly state: CheckState; readonly violation: CheckViolation | null }
  /** Refused by the node, a no-op, or beyond `maxInFlight`: no new state. */
  | { readonly kind: 'none'; readonly why: 'refused' | 'no-op' | 'bound' };

const REFUSED: Transition = Object.freeze({ kind: 'none', why: 'refused' });
const NOOP: Transition = Object.freeze({ kind: 'none', why: 'no-op' });
const BOUND: Transition = Object.freeze({ kind: 'none', why: 'bound' });

/** Every event enabled in `state`, in a fixed order (so that a search is deterministic). */
export function enabledEvents(state: CheckState, ctx: ModelContext): CheckEvent[] {
  const b = ctx.bounds;
  const u = state.used;
  const c = state.cluster;
  const table = ctx.events;
  const out: CheckEvent[] = [];
  // Identical messages in flight are one choice (messages are hash-consed in a search, so
  // identical means the same object).
  const seen = new Set<Message>();
  for (const m of c.queue) {
    if (seen.has(m)) continue;
    seen.add(m);
    const running = c.has(m.to) && c.member(m.to).node !== null;
    if (running) {
      out.push(table.message('deliver', m));
      if (u.duplicates < b.duplicates) out.push(table.message('duplicate', m));
    }
    if (u.drops < b.drops) out.push(table.message('drop', m));
  }
  for (const m of c.members) {
    const id = m.id;
    const node = m.node;
    if (node === null) {
      out.push(table.node('restart', id));
      continue;
    }
    if (u.ticks[id - 1]! < b.ticks) out.push(table.node('tick', id));
    const leader = node.isLeader();
    if (u.campaigns < b.campaigns && !leader) out.push(table.node('campaign', id));
    if (leader) {
      if (u.proposals < b.proposals)
        out.push(table.other({ kind: 'propose', node: id, command: `v${u.proposals + 1}` }));
      if (u.changes < b.changes && ctx.scenario.changeKinds) {
        for (const changes of changeRequests(ctx.scenario.changeKinds, node.membership(), c.ids, id))
          out.push(table.other({ kind: 'change', node: id, changes }));
      }
      if (u.transfers < b.transfers) {
        for (const to of node.membership().voters)
          if (to !== id) out.push(table.other({ kind: 'transfer', node: id, to }));
      }
    }
    if (u.reads < b.reads) out.push(table.other({ kind: 'read', node: id, id: `r${u.reads + 1}` }));
    if (u.snapshots < b.snapshots) out.push(table.node('snapshot', id));
    if (u.crashes < b.crashes) out.push(table.node('crash', id));
  }
  return out;
}

function removeMessage(queue: Message[], message: Message): void {
  const i = queue.indexOf(message);
  if (i >= 0) queue.splice(i, 1);
}

/**
 * What an event does to one node, apart from the network: the node's state after it (a
 * member object that is never changed again, so any number of states can share it), its
 * actions and the messages it sends; or what it threw. A node's step depends only on its
 * own state and the event, so this is cached by (the node's fingerprint, the event): the
 * same local step recurs in every interleaving of the other nodes' steps.
 */
interface LocalStep {
  readonly member: StepMember;
  /** The member's fingerprint, once computed. */
  fp: number[] | null;
  readonly actions: readonly Action[];
  readonly sends: readonly Message[];
  /** The node threw (or a restart's constructor did): `error` is what. */
  readonly threw: boolean;
  readonly error: unknown;
}

/** The cache of local steps, bounded: cleared whole when it holds `limit` entries. */
export class LocalStepCache {
  private readonly steps = new Map<string, LocalStep>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  hits = 0;
  misses = 0;

  constructor(private readonly limit = 50_000) {}

  key(fp: readonly number[], event: CheckEvent): string {
    return `${fp[0]},${fp[1]},${this.eventKey(event)}`;
  }

  get(key: string): LocalStep | undefined {
    const hit = this.steps.get(key);
    if (hit === undefined) this.misses++;
    else this.hits++;
    return hit;
  }

  set(key: string, step: LocalStep): void {
    if (this.steps.size >= this.limit) this.steps.clear();
    this.steps.set(key, step);
  }

  /** Deliver and duplicate do the same to the node; other events by kind and arguments. */
  private eventKey(e: CheckEvent): string | number {
    if (e.kind === 'deliver' || e.kind === 'duplicate') return this.id(e.message);
    if (e.kind === 'drop') return `drop${this.id(e.message)}`;
    return `e${this.id(e)}`;
  }

  private id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }
}

function localStep(spec: StepClusterSpec, parent: StepMember, event: CheckEvent): LocalStep {
  const m = cloneGraph(parent);
  let actions: Action[] = [];
  let sends: Message[] = [];
  try {
    switch (event.kind) {
      case 'crash':
        crashMember(m);
        break;
      case 'restart':
        restartMember(spec, m);
        break;
      default: {
        const r = stepMember(spec, m, inputOf(event, m));
        actions = r.actions;
        sends = r.sends;
      }
    }
  } catch (error) {
    return { member: parent, fp: null, actions: [], sends: [], threw: true, error };
  }
  return { member: m, fp: null, actions, sends, threw: false, error: undefined };
}

function inputOf(e: CheckEvent, m: StepMember): Event {
  switch (e.kind) {
    case 'deliver':
    case 'duplicate':
      return { type: 'message', message: e.message };
    case 'tick':
      return { type: 'tick' };
    case 'campaign':
      return { type: 'campaign' };
    case 'propose':
      return { type: 'propose', command: encoder.encode(e.command) };
    case 'change':
      return { type: 'change-membership', changes: e.changes };
    case 'transfer':
      return { type: 'transfer-leadership', to: e.to };
    case 'read':
      return { type: 'read', id: e.id };
    case 'snapshot':
      return snapshotEventOf(m);
    default:
      throw new Error(`raft-check: ${e.kind} is not a node step`);
  }
}

const REQUESTS: ReadonlySet<CheckEvent['kind']> = new Set([
  'propose',
  'change',
  'transfer',
  'read',
  'snapshot',
]);

/**
 * The state `event` leads to from `state` (which is left unchanged), with the invariants
 * checked. `free` events use no bound (the setup script, replays).
 */
export function applyEvent(
  state: CheckState,
  event: CheckEvent,
  ctx: ModelContext,
  free = false,
): Transition {
  const id = eventNode(event);
  if (event.kind === 'drop') {
    const child = state.fork(id, state.cluster.member(id), state.memberFingerprint(ctx.hasher, id));
    removeMessage(child.cluster.queue, event.message);
    if (!free) child.writeUsed().drops++;
    return { kind: 'state', state: child, violation: null };
  }
  const parentFp = state.memberFingerprint(ctx.hasher, id);
  const key = ctx.cache.key(parentFp, event);
  let local = ctx.cache.get(key);
  if (local === undefined) {
    local = localStep(state.cluster.spec, state.cluster.member(id), event);
    ctx.cache.set(key, local);
  }
  if (local.threw) {
    const code = errorCode(local.error);
    if (REQUESTS.has(event.kind) && code !== null && REFUSALS.has(code)) return REFUSED;
  } else if (local.actions.length === 0 && event.kind !== 'deliver' && event.kind !== 'duplicate') {
    if (local.fp === null) local.fp = memberFp(ctx, local.member);
    if (local.fp[0] === parentFp[0] && local.fp[1] === parentFp[1]) return NOOP;
  }
  const before = beforeStep(state, id);
  // The result's fingerprint is computed once per cached step, not once per state.
  if (local.fp === null && !local.threw) local.fp = memberFp(ctx, local.member);
  const child = state.fork(id, local.member, local.threw ? parentFp : local.fp);
  const c = child.cluster;
  if (event.kind === 'deliver') removeMessage(c.queue, event.message);
  for (const m of local.sends) c.queue.push(m);
  if (!free && event.kind !== 'deliver') {
    const u = child.writeUsed();
    switch (event.kind) {
      case 'tick':
        u.ticks[id - 1]!++;
        break;
      case 'duplicate':
        u.duplicates++;
        break;
      case 'campaign':
        u.campaigns++;
        break;
      case 'crash':
        u.crashes++;
        break;
      case 'propose':
        u.proposals++;
        break;
      case 'change':
        u.changes++;
        break;
      case 'transfer':
        u.transfers++;
        break;
      case 'read':
        u.reads++;
        break;
      case 'snapshot':
        u.snapshots++;
        break;
      default:
        break;
    }
  }
  if (local.threw) return { kind: 'state', state: child, violation: nodeError(id, event.kind, local.error) };
  if (event.kind === 'read') readIssued(child, event.id);
  if (event.kind === 'crash') {
    crashed(child, id);
    return { kind: 'state', state: child, violation: null };
  }
  if (!free && c.queue.length > ctx.bounds.maxInFlight) return BOUND;
  return { kind: 'state', state: child, violation: afterStep(child, id, before, local.actions) };
}

function memberFp(ctx: ModelContext, m: StepMember): number[] {
  const a = ctx.hasher.member(m);
  return [a, ctx.hasher.graph.b];
}

function nodeError(id: NodeId, what: string, err: unknown): CheckViolation {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return {
    property: 'node-error',
    node: id,
    detail: `node ${id} threw on ${what}: ${code === null ? '' : `${code}: `}${message}`,
  };
}
