/**
 * `Trace`: what happened in a simulation, cheaply. Every record folds into a running hash
 * (so two runs of a seed can be compared bit for bit by one number) and the last `capacity`
 * records are kept for the failure report; records are rendered to text only when someone
 * looks (`lines()`) or when a sink wants every line (`--trace`).
 */
import type { Action, Event, Message, NodeId } from '@raft-io/core';
import { formatAction, formatEvent, formatMessage } from '../format.js';
import { hashHex } from '../hash.js';

export type TraceRecord =
  | { readonly kind: 'step'; readonly time: number; readonly node: NodeId; readonly event: Event }
  | { readonly kind: 'action'; readonly time: number; readonly node: NodeId; readonly action: Action }
  | { readonly kind: 'net'; readonly time: number; readonly message: Message; readonly fate: string }
  | { readonly kind: 'note'; readonly time: number; readonly text: string };

/** Render one record as a line. `tickInterval` turns time units into `tick.fraction`. */
export function formatTraceRecord(r: TraceRecord, tickInterval = 10): string {
  const t = `t=${(r.time / tickInterval).toFixed(1).padStart(6)}`;
  switch (r.kind) {
    case 'step':
      return `${t} n${r.node} ${formatEvent(r.event)}`;
    case 'action':
      return `${t} n${r.node}   ${formatAction(r.action)}`;
    case 'net':
      return `${t} net ${r.fate} ${formatMessage(r.message)}`;
    case 'note':
      return `${t} ${r.text}`;
  }
}

const MESSAGE_CODE: Record<string, number> = {
  'request-vote': 1,
  'request-vote-response': 2,
  'append-entries': 3,
  'append-entries-response': 4,
  heartbeat: 5,
  'heartbeat-response': 6,
  'install-snapshot': 7,
  'install-snapshot-response': 8,
  'timeout-now': 9,
  'read-index': 10,
  'read-index-response': 11,
};

/**
 * Hears every record, kept or not (`kept` false: routine noise such as idle ticks), and the
 * records that exist only for observers (`Trace.observe`); used by the replay recorder.
 */
export type TraceObserver = (record: TraceRecord, kept: boolean) => void;

export class Trace {
  private readonly ring: (TraceRecord | undefined)[];
  private observer: TraceObserver | null = null;
  private next = 0;
  private h1 = 0x811c9dc5;
  private h2 = 0x9747b28c;
  /** Records seen. */
  count = 0;

  /**
   * @param capacity records kept for `lines()` (default 30).
   * @param sink receives every record rendered as a line (for `--trace`); null for none.
   * @param tickInterval time units per tick, for rendering times.
   */
  constructor(
    readonly capacity = 30,
    private readonly sink: ((line: string) => void) | null = null,
    private readonly tickInterval = 10,
  ) {
    this.ring = new Array(Math.max(1, capacity));
  }

  /** Record `r`; with `keep` false it only feeds the hash (routine noise such as idle ticks). */
  record(r: TraceRecord, keep = true): void {
    this.count++;
    this.fold(r);
    this.observer?.(r, keep);
    if (!keep) return;
    this.ring[this.next] = r;
    this.next = (this.next + 1) % this.ring.length;
    if (this.sink) this.sink(formatTraceRecord(r, this.tickInterval));
  }

  /** Watch every record from now on (null: stop). Observing changes neither the hash nor the kept lines. */
  setObserver(observer: TraceObserver | null): void {
    this.observer = observer;
  }

  /**
   * Tell the observer of something the trace does not record (nor hash): a message the
   * network drops at delivery time because its link was cut meanwhile.
   */
  observe(r: TraceRecord): void {
    this.observer?.(r, true);
  }

  note(time: number, text: string): void {
    this.record({ kind: 'note', time, text });
  }

  /** The hash of everything recorded so far, as hex. */
  hash(): string {
    return hashHex((this.h2 & 0x1fffff) * 4294967296 + (this.h1 >>> 0));
  }

  /** The last `capacity` records as lines, oldest first. */
  lines(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const r = this.ring[(this.next + i) % this.ring.length];
      if (r !== undefined) out.push(formatTraceRecord(r, this.tickInterval));
    }
    return out;
  }

  private mix(x: number): void {
    this.h1 = Math.imul(this.h1 ^ (x & 0xffffffff), 0x01000193);
    this.h2 = Math.imul(this.h2 ^ ((x / 4294967296) | 0) ^ (x >>> 0), 0x5bd1e995);
  }

  private mixString(s: string): void {
    for (let i = 0; i < s.length; i++) this.mix(s.charCodeAt(i));
    this.mix(s.length);
  }

  private mixMessage(m: Message): void {
    this.mix(MESSAGE_CODE[m.type] ?? 0);
    this.mix(m.from);
    this.mix(m.to);
    this.mix(m.term);
    switch (m.type) {
      case 'append-entries':
        this.mix(m.prevLogIndex);
        this.mix(m.prevLogTerm);
        this.mix(m.commit);
        this.mix(m.entries.length);
        break;
      case 'append-entries-response':
        this.mix(m.success ? 1 : 0);
        this.mix(m.index);
        this.mix(m.hintIndex);
        this.mix(m.hintTerm);
        break;
      case 'request-vote':
        this.mix(m.preVote ? 1 : 0);
        this.mix(m.lastLogIndex);
        this.mix(m.lastLogTerm);
        break;
      case 'request-vote-response':
        this.mix(m.preVote ? 1 : 0);
        this.mix(m.granted ? 1 : 0);
        break;
      case 'heartbeat':
        this.mix(m.commit);
        this.mix(m.context);
        break;
      case 'heartbeat-response':
        this.mix(m.context);
        break;
      case 'install-snapshot':
        this.mix(m.metadata.index);
        this.mix(m.offset);
        this.mix(m.data.length);
        break;
      case 'install-snapshot-response':
        this.mix(m.snapshotIndex);
        this.mix(m.offset);
        break;
      case 'read-index':
      case 'read-index-response':
        this.mixString(m.id);
        break;
      default:
        break;
    }
  }

  private fold(r: TraceRecord): void {
    this.mix(r.time);
    switch (r.kind) {
      case 'step':
        this.mix(1);
        this.mix(r.node);
        this.mixString(r.event.type);
        if (r.event.type === 'message') this.mixMessage(r.event.message);
        break;
      case 'action': {
        const a = r.action;
        this.mix(2);
        this.mix(r.node);
        this.mixString(a.type);
        if (a.type === 'send') this.mixMessage(a.message);
        else if (a.type === 'apply') {
          this.mix(a.index);
          this.mix(a.term);
          this.mix(a.command.length);
        } else if (a.type === 'state-changed') {
          this.mixString(a.role);
          this.mix(a.term);
          this.mix(a.leader ?? 0);
        } else if (a.type === 'accepted') {
          this.mix(a.firstIndex);
          this.mix(a.term);
        } else if (a.type === 'read-ready' || a.type === 'read-failed') {
          this.mixString(a.id);
        } else if (a.type === 'restore') {
          this.mix(a.snapshot.metadata.index);
        }
        break;
      }
      case 'net':
        this.mix(3);
        this.mixString(r.fate);
        this.mixMessage(r.message);
        break;
      case 'note':
        this.mix(4);
        this.mixString(r.text);
        break;
    }
  }
}
