/**
 * `SimNetwork`: the simulator's network on virtual time. Every message gets a delivery time
 * drawn from the PRNG (so messages reorder), and may be lost or duplicated; links can be cut
 * one way or both ways (partitions, asymmetric partitions, a node isolated from all but one
 * peer), and a cut link also drops the messages in flight on it, as a real network does.
 */
import type { Message, NodeId } from '@raft-io/core';
import type { Prng } from '../prng.js';
import { MinHeap } from '../sim/heap.js';

/** The fault mix of the network. Times are in virtual time units (a tick is `tickInterval` units). */
export interface NetworkFaults {
  /** Probability that a message is lost. Default 0. */
  readonly loss: number;
  /** Probability that a message is delivered twice (the copy with its own delay). Default 0. */
  readonly duplicate: number;
  /** Shortest delivery delay, in time units. Default 1. */
  readonly minDelay: number;
  /** Longest delivery delay, in time units (uniform between min and max). Default 5. */
  readonly maxDelay: number;
  /** Probability that a message is held back by an extra delay up to `slowDelay` (reordering). Default 0. */
  readonly slow: number;
  /** The longest extra delay of a held-back message, in time units. Default 50. */
  readonly slowDelay: number;
}

export const CALM_NETWORK: NetworkFaults = Object.freeze({
  loss: 0,
  duplicate: 0,
  minDelay: 1,
  maxDelay: 5,
  slow: 0,
  slowDelay: 50,
});

/** A message on its way. */
export interface InFlight {
  readonly time: number;
  readonly seq: number;
  readonly message: Message;
  /** True for the second copy of a duplicated message. */
  readonly duplicate: boolean;
}

/** What happened to a message handed to `send`. */
export type SendFate = 'queued' | 'duplicated' | 'lost' | 'cut';

export interface NetworkStats {
  sent: number;
  delivered: number;
  lost: number;
  cut: number;
  duplicated: number;
}

export class SimNetwork {
  private readonly queue = new MinHeap<InFlight>();
  private readonly blocked = new Set<string>();
  private faults: NetworkFaults;
  private seq = 0;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, lost: 0, cut: 0, duplicated: 0 };

  constructor(
    private readonly prng: Prng,
    faults: Partial<NetworkFaults> = {},
  ) {
    this.faults = { ...CALM_NETWORK, ...faults };
  }

  /** The current fault mix. */
  get currentFaults(): NetworkFaults {
    return this.faults;
  }

  /** Change the fault mix (fields left out keep their value). */
  setFaults(faults: Partial<NetworkFaults>): void {
    this.faults = { ...this.faults, ...faults };
  }

  /** Hand `message` to the network at time `now`. */
  send(message: Message, now: number): SendFate {
    this.stats.sent++;
    if (this.isBlocked(message.from, message.to)) {
      this.stats.cut++;
      return 'cut';
    }
    const f = this.faults;
    if (this.prng.chance(f.loss)) {
      this.stats.lost++;
      return 'lost';
    }
    this.enqueue(message, now, false);
    if (this.prng.chance(f.duplicate)) {
      this.stats.duplicated++;
      this.enqueue(message, now, true);
      return 'duplicated';
    }
    return 'queued';
  }

  private enqueue(message: Message, now: number, duplicate: boolean): void {
    const f = this.faults;
    let delay = this.prng.range(f.minDelay, Math.max(f.minDelay, f.maxDelay));
    if (this.prng.chance(f.slow)) delay += this.prng.range(1, Math.max(1, f.slowDelay));
    this.queue.push({ time: now + delay, seq: this.seq++, message, duplicate });
  }

  /** Delivery time of the next message in flight, or undefined. */
  nextTime(): number | undefined {
    return this.queue.peek()?.time;
  }

  /**
   * The next message due at or before `now`, or undefined. A message whose link was cut
   * while it was in flight is dropped here (and handed to `onCut`).
   */
  pop(now: number, onCut?: (message: Message) => void): InFlight | undefined {
    for (;;) {
      const head = this.queue.peek();
      if (head === undefined || head.time > now) return undefined;
      this.queue.pop();
      if (this.isBlocked(head.message.from, head.message.to)) {
        this.stats.cut++;
        onCut?.(head.message);
        continue;
      }
      this.stats.delivered++;
      return head;
    }
  }

  /** Messages in flight. */
  get inFlight(): number {
    return this.queue.size;
  }

  /** Drop every message in flight to or from `id` (used when a whole node is wiped). */
  dropNode(id: NodeId): number {
    return this.queue.removeWhere((m) => m.message.to === id || m.message.from === id);
  }

  /** Whether messages from `from` to `to` are cut. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.size > 0 && this.blocked.has(linkKey(from, to));
  }

  /** Cut the link from `from` to `to` (one way: the asymmetric partition). */
  cut(from: NodeId, to: NodeId): void {
    this.blocked.add(linkKey(from, to));
  }

  /** Cut both directions between `a` and `b`. */
  cutBoth(a: NodeId, b: NodeId): void {
    this.cut(a, b);
    this.cut(b, a);
  }

  /** Split the nodes into `groups`: links between groups are cut both ways, links inside stay. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        for (const a of groups[i]!) for (const b of groups[j]!) this.cutBoth(a, b);
      }
    }
  }

  /**
   * Isolate `id` from every node in `all` except `peer` (the partial partition: `id` still
   * reaches one node, and through it hears of the rest). Without `peer`, a full isolation.
   */
  isolate(id: NodeId, all: readonly NodeId[], peer?: NodeId): void {
    for (const other of all) if (other !== id && other !== peer) this.cutBoth(id, other);
  }

  /** Restore every link. */
  heal(): void {
    this.blocked.clear();
  }

  /** The cut links as `from->to` strings, sorted (for traces and status). */
  cutLinks(): string[] {
    return [...this.blocked]
      .map((k) => k.split('>').map(Number) as [number, number])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1])
      .map(([a, b]) => `${a}->${b}`);
  }
}

function linkKey(from: NodeId, to: NodeId): string {
  return `${from}>${to}`;
}
