/**
 * What the model checker may do next in a state: one event of the cluster, each of which
 * touches exactly one node (deliver a message to it, tick it, crash it, ask it to propose).
 * Every event prints as one line of the interaction-script language, so a path of events is
 * a script that `runInteraction` and `raft-check --replay` replay.
 */
import type { MembershipChange, Message, NodeId } from '@raft-io/core';
import { formatMessage } from '../format.js';
import type { GraphHasher } from './graph.js';

export type CheckEvent =
  /** Deliver one copy of a message in flight; it leaves the network. */
  | { readonly kind: 'deliver'; readonly message: Message }
  /** Deliver a copy of a message in flight that stays in flight (a duplicate). */
  | { readonly kind: 'duplicate'; readonly message: Message }
  /** The network loses a message in flight. */
  | { readonly kind: 'drop'; readonly message: Message }
  | { readonly kind: 'tick'; readonly node: NodeId }
  /** The node's election timeout fires now (any time: safety never rests on timing). */
  | { readonly kind: 'campaign'; readonly node: NodeId }
  /** The node loses power: unsynced writes and volatile state are gone. */
  | { readonly kind: 'crash'; readonly node: NodeId }
  | { readonly kind: 'restart'; readonly node: NodeId }
  | { readonly kind: 'propose'; readonly node: NodeId; readonly command: string }
  | { readonly kind: 'change'; readonly node: NodeId; readonly changes: readonly MembershipChange[] }
  | { readonly kind: 'transfer'; readonly node: NodeId; readonly to: NodeId }
  | { readonly kind: 'read'; readonly node: NodeId; readonly id: string }
  /** The node snapshots its state machine at its applied index and compacts its log. */
  | { readonly kind: 'snapshot'; readonly node: NodeId };

export type CheckEventKind = CheckEvent['kind'];

/** The node an event happens on (a message's recipient). */
export function eventNode(e: CheckEvent): NodeId {
  return e.kind === 'deliver' || e.kind === 'duplicate' || e.kind === 'drop' ? e.message.to : e.node;
}

/** The event as an interaction-script line. */
export function scriptLine(e: CheckEvent): string {
  switch (e.kind) {
    case 'deliver':
    case 'duplicate':
    case 'drop':
      return `${e.kind} ${formatMessage(e.message)}`;
    case 'tick':
    case 'campaign':
    case 'crash':
    case 'restart':
    case 'snapshot':
      return `${e.kind} ${e.node}`;
    case 'propose':
      return `propose ${e.node} "${e.command}"`;
    case 'change':
      return `change ${e.node} ${e.changes.map((c) => `${c.type} ${c.id}`).join(' ')}`;
    case 'transfer':
      return `transfer ${e.node} ${e.to}`;
    case 'read':
      return `read ${e.node} ${e.id}`;
  }
}

/**
 * Interned events: one object per (kind, node) and per (kind, message), so the millions of
 * states a search stores hold a pointer each, not an event each.
 */
export class EventTable {
  private readonly simple = new Map<string, CheckEvent>();
  private readonly byMessage = new WeakMap<
    Message,
    { deliver?: CheckEvent; duplicate?: CheckEvent; drop?: CheckEvent }
  >();

  message(kind: 'deliver' | 'duplicate' | 'drop', message: Message): CheckEvent {
    let slot = this.byMessage.get(message);
    if (slot === undefined) {
      slot = {};
      this.byMessage.set(message, slot);
    }
    const known = slot[kind];
    if (known !== undefined) return known;
    const e: CheckEvent = Object.freeze({ kind, message });
    slot[kind] = e;
    return e;
  }

  node(kind: 'tick' | 'campaign' | 'crash' | 'restart' | 'snapshot', node: NodeId): CheckEvent {
    return this.intern(`${kind}:${node}`, () => ({ kind, node }));
  }

  /** Any other event, interned by its script line. */
  other(e: CheckEvent): CheckEvent {
    return this.intern(scriptLine(e), () => e);
  }

  private intern(key: string, make: () => CheckEvent): CheckEvent {
    let e = this.simple.get(key);
    if (e === undefined) {
      e = Object.freeze(make());
      this.simple.set(key, e);
    }
    return e;
  }
}

/**
 * Hash-consing of messages: one frozen object per distinct message (by fingerprint), so a
 * search holds each message once however many states carry it, and its fingerprint is
 * computed once.
 */
export class MessageTable {
  private readonly byHash = new Map<number, Message | Message[]>();

  constructor(private readonly hasher: GraphHasher) {}

  /** The canonical copy of a frozen message. */
  intern(message: Message): Message {
    const h = this.hasher;
    const a = h.hash(message);
    const b = h.b;
    const known = this.byHash.get(a);
    if (known === undefined) {
      this.byHash.set(a, message);
      return message;
    }
    const list = Array.isArray(known) ? known : [known];
    for (const m of list) {
      h.hash(m);
      if (h.b === b) return m;
    }
    list.push(message);
    this.byHash.set(a, list);
    return message;
  }

  get size(): number {
    return this.byHash.size;
  }
}
