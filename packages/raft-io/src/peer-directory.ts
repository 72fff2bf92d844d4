/**
 * `PeerDirectory`: where each peer is, and which peers the transport keeps links to. The
 * membership is the source (issue 13): a membership change carries each added member's
 * address, it is replicated in the log and in snapshots, so every node (one restarted from
 * disk or installed from a snapshot included) dials every member without being told.
 *
 * An address comes from, in order: an override (`RaftServer.setPeerAddress`), the
 * membership in force (`Membership.info[id].address`), the bootstrap addresses of the
 * options (the initial voters', `tcp.peers`, `peerAddresses`). The transport keeps a link
 * to: every other member of the membership in force, the members a leader still tells of
 * their removal (`keep`), peers with an override that are not (yet) members, and, while
 * this node knows no voter at all (a new node waiting to be added), its bootstrap peers.
 *
 * A member that a committed membership removed is forgotten everywhere: its link goes, and
 * its override and bootstrap address are dropped, so it comes back only through a
 * membership that lists it again (with its address).
 *
 * Addresses are `host:port` (IPv6 in brackets), the format `formatAddress` writes; one that
 * does not parse is skipped with a warning (once per address).
 */
import type { Logger, Membership, NodeId } from '@raft-io/core';
import type { PeerAddress } from '@raft-io/transport-tcp';

/** The transport methods the directory drives, when the transport has them (`TcpTransport` does). */
export interface PeerLinks {
  setPeer?(id: NodeId, address: PeerAddress): void;
  removePeer?(id: NodeId): Promise<void> | void;
  /** The peers the transport has now (it may have been built with some). */
  peers?(): ReadonlyMap<NodeId, PeerAddress>;
}

/** `host:port` of a peer address (IPv6 hosts in brackets). */
export function formatAddress(address: PeerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** A `host:port` (or `[v6]:port`) string as a `PeerAddress`, or null when it is not one. */
export function parseAddress(text: string): PeerAddress | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  return { host: (m[1] ?? m[2])!, port };
}

function members(m: Membership): Set<NodeId> {
  return new Set([...m.voters, ...m.learners, ...m.outgoingVoters]);
}

export class PeerDirectory {
  private readonly overrides = new Map<NodeId, string>();
  private readonly bootstrap: Map<NodeId, string>;
  /**
   * The last address every membership seen gave each member: a member being removed is no
   * longer in the membership in force (its info goes with it), but a leader still tells it
   * of its removal.
   */
  private readonly lastKnown = new Map<NodeId, string>();
  /** Members a committed membership removed, forgotten once no leader keeps them either. */
  private readonly forgetting = new Set<NodeId>();
  private membership: Membership = { voters: [], learners: [], outgoingVoters: [] };
  private keep: ReadonlySet<NodeId> = new Set();
  /** What the transport was told: peer -> address. */
  private readonly linked = new Map<NodeId, string>();
  private transport: PeerLinks | null = null;
  private readonly badAddresses = new Set<string>();

  constructor(
    private readonly self: NodeId,
    bootstrap: ReadonlyMap<NodeId, string>,
    private readonly logger: Logger,
  ) {
    this.bootstrap = new Map(bootstrap);
    this.bootstrap.delete(self);
  }

  /**
   * The transport to drive from now on; it is brought in line at once: told every wanted
   * peer, and rid of the peers it was built with that are not wanted. The peers it was built
   * with count as bootstrap addresses (a transport of your own, built with its peers).
   */
  attach(transport: PeerLinks): void {
    this.transport = transport;
    this.linked.clear();
    if (typeof transport.peers === 'function') {
      for (const [id, address] of transport.peers()) {
        const text = formatAddress(address);
        this.linked.set(id, text);
        if (id !== this.self && !this.bootstrap.has(id)) this.bootstrap.set(id, text);
      }
    }
    this.sync();
  }

  /** `setPeerAddress`: this address wins over the membership's and the bootstrap one. */
  override(id: NodeId, address: string): void {
    if (id === this.self) return;
    this.overrides.set(id, address);
    this.sync();
  }

  /**
   * The membership in force changed (or, on a leader, the members it still tells of their
   * removal: `keep`). Links follow.
   */
  update(membership: Membership, keep: readonly NodeId[] = []): void {
    // Called after every batch: the usual case (nothing changed) allocates nothing.
    if (this.membership === membership && sameMembers(keep, this.keep)) return;
    const keepSet = new Set(keep);
    this.membership = membership;
    this.keep = keepSet;
    for (const [id, info] of Object.entries(membership.info ?? {})) {
      if (info.address !== undefined) this.lastKnown.set(Number(id), info.address);
    }
    this.sync();
  }

  /**
   * A membership was committed: the members it dropped (listed by `previous`, the committed
   * one before, and by neither this one nor the one in force) are forgotten.
   */
  committed(previous: Membership, committed: Membership, inForce: Membership): void {
    const still = new Set([...members(committed), ...members(inForce)]);
    for (const id of members(previous)) {
      if (still.has(id)) continue;
      this.overrides.delete(id);
      this.bootstrap.delete(id);
      this.forgetting.add(id);
    }
    this.sync();
  }

  /** Where `id` is, as `host:port`, or null. */
  address(id: NodeId): string | null {
    return (
      this.overrides.get(id) ??
      this.membership.info?.[id]?.address ??
      this.lastKnown.get(id) ??
      this.bootstrap.get(id) ??
      null
    );
  }

  /** Whether a leader still keeps links to removed members (then it reports them each batch). */
  get keeping(): boolean {
    return this.keep.size > 0;
  }

  /** The peers the transport has links to now, in id order, with their addresses. */
  peers(): ReadonlyMap<NodeId, string> {
    return new Map([...this.linked].sort(([a], [b]) => a - b));
  }

  /** The peers there should be links to, with their addresses. */
  private wanted(): Map<NodeId, string> {
    const ids = members(this.membership);
    for (const id of this.keep) ids.add(id);
    for (const id of this.overrides.keys()) ids.add(id);
    if (this.membership.voters.length === 0 && this.membership.outgoingVoters.length === 0) {
      for (const id of this.bootstrap.keys()) ids.add(id);
    }
    ids.delete(this.self);
    const out = new Map<NodeId, string>();
    for (const id of [...ids].sort((a, b) => a - b)) {
      const address = this.address(id);
      if (address !== null) out.set(id, address);
    }
    return out;
  }

  private sync(): void {
    for (const id of this.forgetting) {
      if (this.keep.has(id)) continue;
      this.forgetting.delete(id);
      if (!members(this.membership).has(id)) this.lastKnown.delete(id);
    }
    const wanted = this.wanted();
    const t = this.transport;
    for (const [id, address] of wanted) {
      if (this.linked.get(id) === address) continue;
      const parsed = parseAddress(address);
      if (parsed === null) {
        if (!this.badAddresses.has(address)) {
          this.badAddresses.add(address);
          this.logger.warn({ peer: id, address }, 'a member address is not host:port; not dialling it');
        }
        continue;
      }
      this.linked.set(id, address);
      if (t?.setPeer) {
        try {
          t.setPeer(id, parsed);
        } catch (error) {
          this.logger.warn({ err: error, peer: id, address }, 'the transport refused a peer address');
        }
      }
    }
    for (const id of [...this.linked.keys()]) {
      if (wanted.has(id)) continue;
      this.linked.delete(id);
      if (t?.removePeer) {
        Promise.resolve()
          .then(() => t.removePeer!(id))
          .catch((error: unknown) => this.logger.warn({ err: error, peer: id }, 'removing a peer failed'));
      }
    }
  }
}

/** Whether `list` (no duplicates) holds exactly the members of `set`. */
function sameMembers(list: readonly NodeId[], set: ReadonlySet<NodeId>): boolean {
  return list.length === set.size && list.every((id) => set.has(id));
}
