/**
 * `SimRecorder`: turns a simulation into a `ReplayDoc` for the replay view. It watches the
 * cluster's trace (`Trace.setObserver`: it changes neither the trace nor its hash, so a seed
 * replays exactly as without it) and, at each step, reads the nodes' states and logs from
 * the cluster and keeps only what changed.
 *
 * A view step is one kept trace record of a node stepping (idle ticks are left out, as in
 * the text trace) or one note (a fault, a heal, a membership change). The actions of a step,
 * the messages it sent, delivered or dropped, and annotations made inside it (a refused
 * request, a violation) belong to it. States are read when the next step begins, so they are
 * the states after the step and everything it carried out.
 */
import type { Message, NodeId } from '@raft-io/core';
import { formatAction, formatEvent, formatMessage } from '../format.js';
import type { Cluster } from '../sim/cluster.js';
import type { SimulationResult } from '../sim/simulation.js';
import type { TraceRecord } from '../sim/trace.js';
import {
  EMPTY_NODE_STATE,
  type ReplayDoc,
  type ReplayMessage,
  type ReplayNetEvent,
  type ReplayNodePatch,
  type ReplayNodeState,
  type ReplayStep,
} from './replay-format.js';

export interface SimRecorderOptions {
  /** Steps kept: a longer run keeps its last `maxSteps` (the violation is at the end). Default 20000. */
  readonly maxSteps?: number;
}

interface Step {
  time: number;
  node: number | null;
  kind: 'step' | 'note';
  label: string;
  actions: string[];
  nodes: Record<string, ReplayNodePatch>;
  net: [number, ReplayNetEvent][];
  cut: string[] | undefined;
}

interface Msg {
  id: number;
  from: number;
  to: number;
  type: string;
  term: number;
  text: string;
  sent: number;
  end: number | null;
  fate: string | null;
  copies: number;
}

/** Notes made inside a node's step start with `n<id>` and three spaces (see `Cluster`). */
const IN_STEP_NOTE = /^n\d+ {3}/;

/** `state` after `patch`. */
export function applyPatch(state: ReplayNodeState, patch: ReplayNodePatch): ReplayNodeState {
  const { log, ...fields } = patch;
  let next: ReplayNodeState = { ...state, ...fields };
  if (log) {
    const kept: number[] = [];
    for (let i = log.first; i < log.from; i++) kept.push(state.log.terms[i - state.log.first] ?? 0);
    next = { ...next, log: { first: log.first, terms: [...kept, ...log.terms] } };
  }
  return next;
}

export class SimRecorder {
  private readonly maxSteps: number;
  private readonly steps: Step[] = [];
  private readonly messages: Msg[] = [];
  private readonly ids = new Map<Message, number>();
  private readonly last = new Map<NodeId, ReplayNodeState>();
  /** Per node: the log's write count and incarnation when its log was last read. */
  private readonly logMark = new Map<NodeId, string>();
  private lastCut = '';
  private violationStep: number | null = null;

  constructor(
    private readonly cluster: Cluster,
    options: SimRecorderOptions = {},
  ) {
    this.maxSteps = options.maxSteps ?? 20_000;
    this.open({ time: cluster.time, node: null, kind: 'note', label: 'start' });
    cluster.trace.setObserver((r, kept) => this.on(r, kept));
  }

  /** Stop watching and build the document; `result` adds the outcome and the violation. */
  finish(
    result: SimulationResult | null,
    meta: { title: string; tool: string; command: string | null },
  ): ReplayDoc {
    this.cluster.trace.setObserver(null);
    this.close();
    const first = result?.violations[0];
    let skip = Math.max(0, this.steps.length - this.maxSteps);
    if (this.violationStep !== null) skip = Math.min(skip, this.violationStep);
    const steps = this.steps.slice(skip).map((s) => this.freeze(s, skip));
    if (skip > 0) {
      // The first kept step carries every node's full state.
      const full: Record<string, ReplayNodePatch> = {};
      const states = new Map<NodeId, ReplayNodeState>();
      for (let i = 0; i <= skip; i++) {
        for (const [id, patch] of Object.entries(this.steps[i]!.nodes)) {
          states.set(Number(id), applyPatch(states.get(Number(id)) ?? EMPTY_NODE_STATE, patch));
        }
      }
      for (const [id, s] of states) full[String(id)] = { ...s, log: { ...s.log, from: s.log.first } };
      const lastCut = this.steps
        .slice(0, skip + 1)
        .reverse()
        .find((s) => s.cut !== undefined)?.cut;
      steps[0] = { ...steps[0]!, nodes: full, ...(lastCut ? { cut: lastCut } : {}) };
    }
    const messages: ReplayMessage[] = this.messages
      .filter((m) => m.end === null || m.end >= skip)
      .map((m) => ({
        id: m.id,
        from: m.from,
        to: m.to,
        type: m.type,
        term: m.term,
        text: m.text,
        sent: Math.max(0, m.sent - skip),
        end: m.end === null ? null : m.end - skip,
        fate: m.fate,
      }));
    const summary: string[] = [];
    if (result) {
      summary.push(
        `${result.nodes} nodes, scenario ${result.scenario}, ${result.ticks} ticks, ${result.steps} node steps, commit index ${result.commits}`,
      );
      summary.push(
        result.ok
          ? 'no violation'
          : `${result.violations.length} violation(s): ${[...new Set(result.violations.map((v) => v.property))].join(', ')}`,
      );
    }
    if (skip > 0) summary.push(`the first ${skip} steps are left out (the last ${steps.length} are shown)`);
    return {
      format: 'raft-io-replay',
      version: 1,
      title: meta.title,
      source: { tool: meta.tool, command: meta.command },
      nodes: [...this.cluster.ids],
      tickInterval: this.cluster.tickInterval,
      skipped: skip,
      steps,
      messages,
      violation: first
        ? {
            step: Math.max(0, (this.violationStep ?? this.steps.length - 1) - skip),
            property: first.property,
            text: first.detail,
            node: first.node ?? null,
          }
        : null,
      summary,
    };
  }

  private freeze(s: Step, skip: number): ReplayStep {
    const net = s.net.filter(([id]) => {
      const m = this.messages[id]!;
      return m.end === null || m.end >= skip;
    });
    return {
      time: s.time,
      node: s.node,
      kind: s.kind,
      label: s.label,
      ...(s.actions.length > 0 ? { actions: s.actions } : {}),
      ...(Object.keys(s.nodes).length > 0 ? { nodes: s.nodes } : {}),
      ...(net.length > 0 ? { net } : {}),
      ...(s.cut !== undefined ? { cut: s.cut } : {}),
    };
  }

  private get index(): number {
    return this.steps.length - 1;
  }

  private get current(): Step {
    return this.steps[this.steps.length - 1]!;
  }

  private open(s: Pick<Step, 'time' | 'node' | 'kind' | 'label'>): void {
    this.steps.push({ ...s, actions: [], nodes: {}, net: [], cut: undefined });
  }

  /** Record the states after the current step (what changed since the step before). */
  private close(): void {
    const step = this.current;
    for (const id of this.cluster.ids) {
      const patch = this.diff(id);
      if (patch !== null) step.nodes[String(id)] = patch;
    }
    const cut = this.cluster.network.cutLinks();
    const key = cut.join(',');
    if (key !== this.lastCut) {
      this.lastCut = key;
      step.cut = cut;
    }
  }

  private diff(id: NodeId): ReplayNodePatch | null {
    const rt = this.cluster.runtime(id);
    const n = rt.node;
    const hard = rt.log.hardState();
    const prev = this.last.get(id) ?? EMPTY_NODE_STATE;
    const patch: { -readonly [K in keyof ReplayNodePatch]: ReplayNodePatch[K] } = {};
    const fields: Omit<ReplayNodeState, 'log'> = {
      up: n !== null,
      paused: rt.paused,
      role: n?.role() ?? 'down',
      term: n?.term() ?? hard.term,
      vote: hard.vote,
      leader: n?.leader() ?? null,
      commit: n?.commitIndex() ?? hard.commit,
      applied: n?.appliedIndex() ?? 0,
    };
    for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
      if (fields[key] !== prev[key]) (patch as Record<string, unknown>)[key] = fields[key];
    }
    let log = prev.log;
    const mark = `${rt.log.writes}/${rt.incarnation}/${n === null}`;
    if (this.logMark.get(id) !== mark) {
      this.logMark.set(id, mark);
      const first = rt.log.firstIndex();
      const last = rt.log.lastIndex();
      const terms: number[] = [];
      for (let i = first; i <= last; i++) terms.push(rt.log.term(i));
      const prevAt = (i: number) =>
        i >= prev.log.first && i < prev.log.first + prev.log.terms.length
          ? prev.log.terms[i - prev.log.first]
          : -1;
      let from = first;
      while (from <= last && prevAt(from) === terms[from - first]) from++;
      const same = from === last + 1 && first === prev.log.first && terms.length === prev.log.terms.length;
      if (!same) {
        patch.log = { first, from, terms: terms.slice(from - first) };
        log = { first, terms };
      }
    }
    if (Object.keys(patch).length === 0) return null;
    this.last.set(id, { ...fields, log });
    return patch;
  }

  private on(r: TraceRecord, kept: boolean): void {
    switch (r.kind) {
      case 'step': {
        if (!kept) return;
        this.close();
        this.open({ time: r.time, node: r.node, kind: 'step', label: formatEvent(r.event) });
        if (r.event.type === 'message') this.arrived(r.event.message, 'delivered');
        return;
      }
      case 'action': {
        this.current.actions.push(formatAction(r.action));
        if (r.action.type === 'send') {
          const m = r.action.message;
          const id = this.messages.length;
          this.ids.set(m, id);
          this.messages.push({
            id,
            from: m.from,
            to: m.to,
            type: m.type,
            term: m.term,
            text: formatMessage(m),
            sent: this.index,
            end: null,
            fate: null,
            copies: 1,
          });
          this.current.net.push([id, 'sent']);
        }
        return;
      }
      case 'net': {
        const id = this.ids.get(r.message);
        if (id === undefined) return;
        const m = this.messages[id]!;
        if (r.fate === 'duplicated') {
          m.copies = 2;
          this.current.net.push([id, 'duplicated']);
        } else if (r.fate === 'lost' || r.fate === 'cut') {
          m.copies = 0;
          this.end(m, r.fate === 'lost' ? 'lost' : 'cut');
        } else {
          this.arrived(r.message, r.fate);
        }
        return;
      }
      case 'note': {
        if (r.text.startsWith('VIOLATION')) {
          this.violationStep ??= this.index;
          this.current.actions.push(r.text);
        } else if (IN_STEP_NOTE.test(r.text)) {
          this.current.actions.push(r.text.replace(IN_STEP_NOTE, '').trim());
        } else {
          this.close();
          this.open({ time: r.time, node: null, kind: 'note', label: r.text });
        }
        return;
      }
    }
  }

  /** A copy of `message` reached its node (`fate` 'delivered') or was dropped on the way. */
  private arrived(message: Message, fate: string): void {
    const id = this.ids.get(message);
    if (id === undefined) return;
    const m = this.messages[id]!;
    m.copies = Math.max(0, m.copies - 1);
    if (fate === 'delivered') {
      this.current.net.push([id, 'delivered']);
      if (m.copies === 0) {
        m.end = this.index;
        m.fate = 'delivered';
      }
    } else if (m.copies === 0) {
      this.end(m, fate);
    } else {
      this.current.net.push([id, 'dropped']);
    }
  }

  private end(m: Msg, fate: string): void {
    m.end = this.index;
    m.fate = fate;
    this.current.net.push([m.id, 'dropped']);
  }
}
