/**
 * One state of the model checker: the cluster (every node's object graph, its log, its
 * state machine, the messages in flight), what the bounds have used up, and the ghost
 * variables the invariants need (history the nodes themselves may have forgotten: who led
 * each term, what was committed at each index, which reads are pending).
 *
 * States are forked copy-on-write: an event touches one node, so a child copies that node
 * (a generic deep copy of its object graph and log) and shares every other one with its
 * parent. A state is never changed once a search has fingerprinted it.
 *
 * The fingerprint is 64 bits over: each node's object graph, hashed generically (no field
 * names; see `graph.ts`) except its `RaftLog`, whose contents are hashed apart (the durable
 * part too while writes are unsynced); each state machine;
 * the multiset of messages in flight; the bounds used; the ghost variables.
 */
import type { Entry, NodeId } from '@raft-io/core';
import type { StepCluster, StepMember } from '../interaction/step-cluster.js';
import type { CowLog } from './cow-log.js';
import { type Fingerprint, GraphHasher } from './graph.js';

/** How much of each bound a path has used. */
export interface Used {
  /** Ticks per node (index = id - 1). */
  ticks: number[];
  campaigns: number;
  crashes: number;
  proposals: number;
  changes: number;
  transfers: number;
  reads: number;
  snapshots: number;
  drops: number;
  duplicates: number;
}

/** An entry known committed, and the lowest term of a node that knew it (Leader Completeness). */
export interface CommittedEntry {
  readonly entry: Entry;
  readonly by: number;
}

/** History the invariants need; part of the state (and of its fingerprint). */
export interface Ghost {
  /** The leader seen in each term. */
  leaders: Map<number, NodeId>;
  /** Every entry seen committed, by index (entries compacted away before being seen are absent). */
  committed: Map<number, CommittedEntry>;
  /** The highest commit index any node has had. */
  maxCommit: number;
  /** Reads issued and not yet answered: id -> the highest commit index when it was issued. */
  reads: Map<string, number>;
  /** Per node (index = id - 1): the last index applied or restored in this incarnation. */
  lastApplied: number[];
}

export class CheckState {
  /** Per node (index = id - 1): its fingerprint, lanes a and b; null when not computed. */
  private memberFps: (number[] | null)[];
  // `used` and `ghost` are shared with the parent until this state first changes them
  // (most events, deliveries, change neither): read them freely, write through `write*`.
  private used_: Used;
  private ghost_: Ghost;
  private ownUsed: boolean;
  private ownGhost: boolean;

  constructor(
    public cluster: StepCluster,
    used: Used,
    ghost: Ghost,
    owned = true,
  ) {
    this.memberFps = cluster.members.map(() => null);
    this.used_ = used;
    this.ghost_ = ghost;
    this.ownUsed = owned;
    this.ownGhost = owned;
  }

  /** The bounds used so far (read-only: change them through `writeUsed`). */
  get used(): Readonly<Used> {
    return this.used_;
  }

  /** The ghost variables (read-only: change them through `writeGhost`). */
  get ghost(): Readonly<Ghost> {
    return this.ghost_;
  }

  /** The bounds used, to change (copied first if still shared with the parent). */
  writeUsed(): Used {
    if (!this.ownUsed) {
      this.used_ = cloneUsed(this.used_);
      this.ownUsed = true;
    }
    return this.used_;
  }

  /** The ghost variables, to change (copied first if still shared with the parent). */
  writeGhost(): Ghost {
    if (!this.ownGhost) {
      this.ghost_ = cloneGhost(this.ghost_);
      this.ownGhost = true;
    }
    return this.ghost_;
  }

  static initial(cluster: StepCluster): CheckState {
    const n = cluster.members.length;
    return new CheckState(
      cluster,
      {
        ticks: new Array<number>(n).fill(0),
        campaigns: 0,
        crashes: 0,
        proposals: 0,
        changes: 0,
        transfers: 0,
        reads: 0,
        snapshots: 0,
        drops: 0,
        duplicates: 0,
      },
      {
        leaders: new Map(),
        committed: new Map(),
        maxCommit: 0,
        reads: new Map(),
        lastApplied: new Array<number>(n).fill(0),
      },
    );
  }

  /**
   * A child in which node `id` may change (every other node is shared with this state). With
   * `member`, node `id` is that object (a cached step result, never changed again), whose
   * fingerprint is `fp` when known.
   */
  fork(id: NodeId, member?: StepMember, fp?: number[] | null): CheckState {
    const child = new CheckState(this.cluster.fork(id - 1, member), this.used_, this.ghost_, false);
    child.memberFps = this.memberFps.slice();
    child.memberFps[id - 1] = member === undefined ? this.memberFps[id - 1]! : (fp ?? null);
    return child;
  }

  /** The state's 64-bit fingerprint. */
  fingerprint(h: StateHasher): Fingerprint {
    const members = this.cluster.members;
    for (let i = 0; i < members.length; i++) {
      if (this.memberFps[i] == null) {
        const a = h.member(members[i]!);
        this.memberFps[i] = [a, h.graph.b];
      }
    }
    const g = h.graph;
    // The messages in flight as a multiset: a sum of their (cached) fingerprints.
    let qa = 0;
    let qb = 0;
    for (const m of this.cluster.queue) {
      qa = (qa + g.hash(m)) | 0;
      qb = (qb + g.b) | 0;
    }
    // The parts first: the hasher has one sequence in progress at a time.
    const ua = h.used(this.used);
    const ub = g.b;
    const ga = h.ghost(this.ghost);
    const gb = g.b;
    g.init(0x5747e);
    for (const fp of this.memberFps) g.add(fp![0]!, fp![1]!);
    g.add(qa ^ this.cluster.queue.length, qb);
    g.add(ua, ub);
    g.add(ga, gb);
    const a = g.done();
    return { a, b: g.b };
  }

  /**
   * The fingerprint of the cluster alone (nodes and messages in flight, not the bounds used
   * or the ghost variables), as a string key: what a calm run from this state depends on.
   */
  clusterKey(h: StateHasher): string {
    const g = h.graph;
    let qa = 0;
    let qb = 0;
    for (const m of this.cluster.queue) {
      qa = (qa + g.hash(m)) | 0;
      qb = (qb + g.b) | 0;
    }
    const parts: number[] = [qa, qb];
    for (let i = 0; i < this.memberFps.length; i++) parts.push(...this.memberFingerprint(h, i + 1));
    return parts.join(',');
  }

  /** The fingerprint of node `id` alone, as [lane a, lane b]. */
  memberFingerprint(h: StateHasher, id: NodeId): number[] {
    let fp = this.memberFps[id - 1];
    if (fp == null) {
      const a = h.member(this.cluster.members[id - 1]!);
      fp = [a, h.graph.b];
      this.memberFps[id - 1] = fp;
    }
    return fp;
  }
}

function cloneUsed(u: Used): Used {
  return { ...u, ticks: u.ticks.slice() };
}

function cloneGhost(g: Ghost): Ghost {
  return {
    leaders: new Map(g.leaders),
    committed: new Map(g.committed),
    maxCommit: g.maxCommit,
    reads: new Map(g.reads),
    lastApplied: g.lastApplied.slice(),
  };
}

/**
 * Abstractions of the fingerprint, by name. The hash is generic; these only make it coarser,
 * so a rename in the core makes a search slower (more distinct states), never wrong. The
 * test suite checks each name still exists in a real node, so a rename fails loudly there.
 */
export const HASH_HINTS = Object.freeze({
  /**
   * The election-timeout PRNG's internal state. Left out of every fingerprint: two states
   * that differ only in what the PRNG would draw next are taken as one (an approximation
   * when ticks are explored; exact when they are not, since nothing else reads it).
   */
  prngClasses: Object.freeze(['Prng']),
  /**
   * Timer fields that only `tick` reads: left out when a scenario explores no ticks (then
   * they never influence anything, and the randomized timeout would split states for
   * nothing).
   */
  timerKeys: Object.freeze(['randomizedElectionTimeout']),
});

/** Fingerprints of members and states (one per search: its caches are keyed by object). */
export class StateHasher {
  readonly graph: GraphHasher;
  private log: CowLog | null = null;

  constructor(options: { ticks: boolean }) {
    const prng = new Set<string>(HASH_HINTS.prngClasses);
    // Prototypes already classified: true for a PRNG class.
    const protos = new Map<object | null, boolean>();
    this.graph = new GraphHasher({
      opaque: (o) => (o === this.log ? 0 : -1),
      skip: (o) => {
        const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
        let isPrng = protos.get(proto);
        if (isPrng === undefined) {
          isPrng = prng.has(proto?.constructor?.name ?? '');
          protos.set(proto, isPrng);
        }
        return isPrng;
      },
      ...(options.ticks ? {} : { skipKeys: new Set(HASH_HINTS.timerKeys) }),
    });
  }

  /** Lane a of the bounds used (lane b in `graph.b`): the checker's own record, hashed directly. */
  used(u: Used): number {
    const g = this.graph;
    g.init(0x05ed);
    for (const t of u.ticks) g.addNumber(t);
    g.addNumber(u.campaigns);
    g.addNumber(u.crashes);
    g.addNumber(u.proposals);
    g.addNumber(u.changes);
    g.addNumber(u.transfers);
    g.addNumber(u.reads);
    g.addNumber(u.snapshots);
    g.addNumber(u.drops);
    g.addNumber(u.duplicates);
    return g.done();
  }

  /** Lane a of the ghost variables (lane b in `graph.b`); maps hashed order-independently. */
  ghost(gh: Ghost): number {
    const g = this.graph;
    let la = 0;
    let lb = 0;
    for (const [term, id] of gh.leaders) {
      g.init(0x1ead);
      g.addNumber(term);
      g.addNumber(id);
      la = (la + g.done()) | 0;
      lb = (lb + g.b) | 0;
    }
    let ca = 0;
    let cb = 0;
    for (const [index, c] of gh.committed) {
      const ea = g.hash(c.entry);
      const eb = g.b;
      g.init(0xc0);
      g.addNumber(index);
      g.add(ea, eb);
      g.addNumber(c.by);
      ca = (ca + g.done()) | 0;
      cb = (cb + g.b) | 0;
    }
    let ra = 0;
    let rb = 0;
    for (const [id, required] of gh.reads) {
      const ia = g.hash(id);
      const ib = g.b;
      g.init(0x4ead);
      g.add(ia, ib);
      g.addNumber(required);
      ra = (ra + g.done()) | 0;
      rb = (rb + g.b) | 0;
    }
    g.init(0x6405);
    g.add(la ^ gh.leaders.size, lb);
    g.add(ca ^ gh.committed.size, cb);
    g.add(ra ^ gh.reads.size, rb);
    g.addNumber(gh.maxCommit);
    for (const n of gh.lastApplied) g.addNumber(n);
    return g.done();
  }

  /** Lane a of one member's fingerprint (lane b in `graph.b`). */
  member(m: StepMember): number {
    const g = this.graph;
    this.log = m.log;
    let na: number;
    let nb: number;
    if (m.node === null) {
      na = 0x0d0e;
      nb = 0x0d0e;
    } else {
      na = g.hash(m.node);
      nb = g.b;
    }
    this.log = null;
    const la = this.logHash(m.log);
    const lb = g.b;
    const sa = g.hash(m.applied);
    const sb = g.b;
    g.init(0x3e3be7);
    g.add(na, nb);
    g.add(la, lb);
    g.add(sa, sb);
    return g.done();
  }

  /**
   * A log's contents: its current image and, while writes are unsynced, its durable one.
   * Images are frozen, so each is hashed once.
   */
  private logHash(log: CowLog): number {
    const g = this.graph;
    const a = g.hash(log.current);
    if (!log.hasPending()) return a;
    const b = g.b;
    const da = g.hash(log.durable);
    const db = g.b;
    g.init(0xd0ab1e);
    g.add(a, b);
    g.add(da, db);
    return g.done();
  }
}
