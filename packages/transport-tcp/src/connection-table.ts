/**
 * `ConnectionTable`: the caps on inbound connections. Every accepted socket takes a slot
 * at once (before any TLS or Raft handshake), and gives it back when it closes:
 *
 * - at most `maxPerAddress` per remote address: one host cannot take every slot;
 * - at most `maxTotal` in all: when full, a new connection evicts the oldest one that has
 *   not finished its handshake (it may be a slowloris; a real peer finishes in a round
 *   trip), and is refused only when every slot is an established peer connection;
 * - at most `maxPerPeer` established connections per node id: an authenticated newcomer
 *   evicts that peer's oldest connection (a peer that redials while its old, half-open
 *   socket lingers needs the new one), an unauthenticated one is refused (without proof of
 *   identity, a newcomer must not be able to cut a peer off).
 *
 * The table only decides; its caller closes what it evicts or refuses.
 */
import type { NodeId } from '@raft-io/core';

/** One inbound connection's place in the table. */
export interface Slot {
  /** The remote address (no port). */
  readonly address: string;
  /** The node id, once the handshake succeeded. */
  peer: NodeId | null;
  /** Closes the connection when the table evicts it (the table's caller sets it). */
  close: (reason: 'connection-limit' | 'peer-limit') => void;
}

export interface ConnectionCaps {
  readonly maxTotal: number;
  readonly maxPerAddress: number;
  readonly maxPerPeer: number;
}

export type AdmitResult =
  | { readonly admitted: true; readonly evicted: Slot | null }
  | { readonly admitted: false; readonly reason: 'connection-limit' | 'address-limit' };

export type EstablishResult =
  | { readonly established: true; readonly evicted: Slot | null }
  | { readonly established: false; readonly reason: 'peer-limit' };

export class ConnectionTable {
  /** Every slot, oldest first (a Set iterates in insertion order). */
  readonly #slots = new Set<Slot>();
  readonly #byAddress = new Map<string, number>();
  /** Established slots per peer, oldest first. */
  readonly #byPeer = new Map<NodeId, Set<Slot>>();

  constructor(readonly caps: ConnectionCaps) {}

  /** Slots in use. */
  get size(): number {
    return this.#slots.size;
  }

  /** Slots whose connection has not finished its handshake. */
  get pending(): number {
    let n = 0;
    for (const s of this.#slots) if (s.peer === null) n++;
    return n;
  }

  /** Takes a slot for `slot` if the caps allow; may evict the oldest pending connection. */
  admit(slot: Slot): AdmitResult {
    if ((this.#byAddress.get(slot.address) ?? 0) >= this.caps.maxPerAddress) {
      return { admitted: false, reason: 'address-limit' };
    }
    let evicted: Slot | null = null;
    if (this.#slots.size >= this.caps.maxTotal) {
      for (const s of this.#slots) {
        if (s.peer === null) {
          evicted = s;
          break;
        }
      }
      if (evicted === null) return { admitted: false, reason: 'connection-limit' };
      this.release(evicted);
    }
    this.#slots.add(slot);
    this.#byAddress.set(slot.address, (this.#byAddress.get(slot.address) ?? 0) + 1);
    return { admitted: true, evicted };
  }

  /**
   * Records that `slot` completed its handshake as `peer`. Over `maxPerPeer`, an
   * `authenticated` slot evicts the peer's oldest connection; an unauthenticated one is refused.
   */
  establish(slot: Slot, peer: NodeId, authenticated: boolean): EstablishResult {
    if (!this.#slots.has(slot)) return { established: false, reason: 'peer-limit' };
    let set = this.#byPeer.get(peer);
    if (set === undefined) {
      set = new Set();
      this.#byPeer.set(peer, set);
    }
    let evicted: Slot | null = null;
    if (set.size >= this.caps.maxPerPeer) {
      if (!authenticated) return { established: false, reason: 'peer-limit' };
      evicted = set.values().next().value!;
      this.release(evicted);
    }
    slot.peer = peer;
    set.add(slot);
    return { established: true, evicted };
  }

  /** Gives `slot` back (idempotent). */
  release(slot: Slot): void {
    if (!this.#slots.delete(slot)) return;
    const n = (this.#byAddress.get(slot.address) ?? 1) - 1;
    if (n === 0) this.#byAddress.delete(slot.address);
    else this.#byAddress.set(slot.address, n);
    if (slot.peer !== null) {
      const set = this.#byPeer.get(slot.peer);
      set?.delete(slot);
      if (set?.size === 0) this.#byPeer.delete(slot.peer);
    }
  }
}
