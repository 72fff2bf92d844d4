/**
 * `MemoryNetwork`: an in-process network of `RaftTransport`s on real (asynchronous) time, for
 * tests of drivers such as `RaftServer`. `network.transport(id)` gives node `id` its
 * transport; `send` returns at once and the message arrives on a later turn of the event loop
 * (setImmediate, or a microtask), in order per connection, as a copy (so sender and receiver
 * never share objects, as with a real wire). Optional seeded loss, and links that can be cut
 * and healed like `SimNetwork`'s. Passes `runRaftTransportCompliance`.
 */
import type { Message, NodeId, RaftTransport } from '@raft-io/core';
import { SimulationError } from '../errors.js';
import { Prng } from '../prng.js';

export interface MemoryNetworkOptions {
  /** Probability that a message is silently lost in transit (send still returns true). Default 0. */
  readonly loss?: number;
  /** Seed of the loss PRNG. Default 1. */
  readonly seed?: number;
  /** How delivery is scheduled: `'immediate'` (setImmediate) or `'microtask'` (queueMicrotask). Default `'immediate'`. */
  readonly delivery?: 'immediate' | 'microtask';
}

export interface MemoryNetworkStats {
  sent: number;
  delivered: number;
  /** Lost by the `loss` rate, cut links, or a closed receiver. */
  dropped: number;
}

/** Deep copy of a message: plain objects and arrays rebuilt, byte arrays copied. */
function copy<T>(value: T): T {
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copy(v);
    return out as T;
  }
  return value;
}

export class MemoryNetwork {
  readonly stats: MemoryNetworkStats = { sent: 0, delivered: 0, dropped: 0 };
  private readonly transports = new Map<NodeId, MemoryTransport>();
  private readonly blocked = new Set<string>();
  private queue: { to: MemoryTransport; message: Message }[] = [];
  private scheduled: ReturnType<typeof setImmediate> | null = null;
  private microtaskScheduled = false;
  private readonly prng: Prng;
  private readonly loss: number;
  private readonly delivery: 'immediate' | 'microtask';
  private closed = false;

  constructor(options: MemoryNetworkOptions = {}) {
    this.loss = options.loss ?? 0;
    this.prng = new Prng(options.seed ?? 1);
    this.delivery = options.delivery ?? 'immediate';
  }

  /** The transport of node `id` (one per id; throws `SimulationError` for a second one). */
  transport(id: NodeId): RaftTransport {
    if (this.transports.has(id))
      throw new SimulationError(`node ${id} already has a transport on this network`);
    const t = new MemoryTransport(id, this);
    this.transports.set(id, t);
    return t;
  }

  /** Cut the link from `from` to `to` (one way). */
  cut(from: NodeId, to: NodeId): void {
    this.blocked.add(`${from}>${to}`);
  }

  /** Split into groups: links between groups cut both ways. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        for (const a of groups[i]!) {
          for (const b of groups[j]!) {
            this.cut(a, b);
            this.cut(b, a);
          }
        }
      }
    }
  }

  /** Restore every link. */
  heal(): void {
    this.blocked.clear();
  }

  /** Resolves once nothing is in flight (deliveries may queue more; it waits for those too). */
  async settle(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Drop everything in flight and cancel the scheduled delivery; transports stop working. */
  async close(): Promise<void> {
    this.closed = true;
    this.stats.dropped += this.queue.length;
    this.queue = [];
    if (this.scheduled !== null) clearImmediate(this.scheduled);
    this.scheduled = null;
    await Promise.all([...this.transports.values()].map((t) => t.close()));
  }

  /** @internal Route `message` from `from`; false when it is dropped at once. */
  route(from: MemoryTransport, message: Message): boolean {
    const to = this.transports.get(message.to);
    if (this.closed || to === undefined || to.isClosed()) return false;
    this.stats.sent++;
    if (this.blocked.has(`${from.id}>${message.to}`) || this.prng.chance(this.loss)) {
      this.stats.dropped++;
      return true;
    }
    this.queue.push({ to, message: copy(message) });
    this.schedule();
    return true;
  }

  /** @internal A transport closed: forget its id so a new transport may take it. */
  detach(t: MemoryTransport): void {
    if (this.transports.get(t.id) === t) this.transports.delete(t.id);
  }

  private schedule(): void {
    if (this.delivery === 'microtask') {
      if (this.microtaskScheduled) return;
      this.microtaskScheduled = true;
      queueMicrotask(() => {
        this.microtaskScheduled = false;
        this.flush();
      });
      return;
    }
    if (this.scheduled !== null) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      this.flush();
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    for (const { to, message } of batch) {
      if (this.closed) break;
      if (this.blocked.has(`${message.from}>${message.to}`) || !to.deliver(message)) this.stats.dropped++;
      else this.stats.delivered++;
    }
  }
}

/** One node's end of a `MemoryNetwork`. */
class MemoryTransport implements RaftTransport {
  private receive: ((message: Message) => void) | null = null;
  /** Messages that arrived before `start`. */
  private early: Message[] = [];
  private closed = false;

  constructor(
    readonly id: NodeId,
    private readonly network: MemoryNetwork,
  ) {}

  async start(receive: (message: Message) => void): Promise<void> {
    if (this.closed) throw new SimulationError(`transport ${this.id} is closed`);
    this.receive = receive;
    const early = this.early;
    this.early = [];
    for (const m of early) receive(m);
  }

  send(message: Message): boolean {
    if (this.closed) return false;
    return this.network.route(this, message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.receive = null;
    this.early = [];
    this.network.detach(this);
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** Hand over an arrived message; false if this transport is closed. */
  deliver(message: Message): boolean {
    if (this.closed) return false;
    if (this.receive === null) this.early.push(message);
    else this.receive(message);
    return true;
  }
}
