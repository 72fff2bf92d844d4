/**
 * `FaultScheduler`: draws the faults of a `FaultProfile` tick by tick (partitions of every
 * shape, crashes with lost writes, pauses, leadership transfers, membership changes) and ends each one when its
 * time is up; `healAll` ends them all at once for the heal phase.
 */
import type { Action, MembershipChange, NodeId } from '@raft-io/core';
import { CALM_NETWORK } from '../network/sim-network.js';
import type { Prng } from '../prng.js';
import { isRaftError } from '../raft-error.js';
import type { Cluster, ClusterListener } from './cluster.js';
import type { FaultProfile, PartitionKind } from './scenarios.js';

export interface FaultStats {
  partitions: number;
  crashes: number;
  pauses: number;
  transfers: number;
  membershipChanges: number;
}

export class FaultScheduler implements ClusterListener {
  readonly stats: FaultStats = { partitions: 0, crashes: 0, pauses: 0, transfers: 0, membershipChanges: 0 };
  private partitionEnds = -1;
  private readonly restartAt = new Map<NodeId, number>();
  private readonly resumeAt = new Map<NodeId, number>();
  /** At most this many nodes down or paused at once (a majority now and then). */
  private readonly maxDown: number;
  /** The member added last (for `leader-with-newest` partitions), or null. */
  private newest: NodeId | null = null;
  /** The latest node seen becoming leader, and the one before it. */
  private lastLeader: NodeId | null = null;
  private previousLeader: NodeId | null = null;
  /** False once `healAll` ended the fault phase: no fault starts after it. */
  private active = true;

  constructor(
    private readonly cluster: Cluster,
    private readonly prng: Prng,
    private readonly profile: FaultProfile,
  ) {
    this.maxDown = Math.floor((cluster.ids.length - 1) / 2) + 1;
    cluster.network.setFaults(profile.network);
    cluster.syncCrash = profile.syncCrash;
    if (profile.membershipOnElection > 0 || profile.partitionKinds.includes('old-leader-with-newest'))
      cluster.addListener(this);
  }

  /** A node just became leader: now and then it is asked for a change before it commits anything. */
  onAction(node: NodeId, _incarnation: number, action: Action): void {
    if (!this.active || action.type !== 'state-changed' || action.role !== 'leader') return;
    if (node !== this.lastLeader) {
      this.previousLeader = this.lastLeader;
      this.lastLeader = node;
    }
    if (!this.prng.chance(this.profile.membershipOnElection)) return;
    const c = this.cluster;
    c.afterStep(() => {
      if (!c.isLive(node) || !c.node(node).isLeader()) return;
      const changed = this.changeMembership(node);
      if (changed && this.prng.chance(this.profile.partitionOnElectionChange)) this.keepNewMajority(node);
    });
  }

  /** Start and end faults for the current tick. */
  tick(): void {
    const c = this.cluster;
    const now = c.ticks;
    const p = this.profile;
    const rng = this.prng;

    if (this.partitionEnds >= 0 && now >= this.partitionEnds) {
      c.network.heal();
      this.partitionEnds = -1;
      c.trace.note(c.time, 'network heals');
    } else if (this.partitionEnds < 0 && p.partitionKinds.length > 0 && rng.chance(p.partitionRate)) {
      this.partition(rng.pick(p.partitionKinds));
      this.partitionEnds = now + rng.range(p.partitionTicks[0], p.partitionTicks[1]);
      this.stats.partitions++;
    }

    for (const [id, at] of [...this.restartAt]) {
      if (now >= at) {
        this.restartAt.delete(id);
        c.restart(id);
      }
    }
    for (const [id, at] of [...this.resumeAt]) {
      if (now >= at) {
        this.resumeAt.delete(id);
        c.resume(id);
      }
    }
    // A node that crashed inside a step (before its sync) restarts like any other.
    for (const id of c.ids) {
      if (!c.isUp(id) && !this.restartAt.has(id))
        this.restartAt.set(id, now + rng.range(p.downTicks[0], p.downTicks[1]));
    }

    if (p.crashRate > 0) {
      for (const id of c.ids) {
        if (c.isUp(id) && this.down() < this.maxDown && rng.chance(p.crashRate)) {
          const pending = c.runtime(id).log.pendingWrites();
          c.crash(id, rng.int(pending + 1));
          this.restartAt.set(id, now + rng.range(p.downTicks[0], p.downTicks[1]));
          this.stats.crashes++;
        }
      }
    }
    if (p.pauseRate > 0) {
      for (const id of c.ids) {
        if (c.isLive(id) && this.down() < this.maxDown && rng.chance(p.pauseRate)) {
          const leader = c.leader();
          const victim = leader !== null && rng.chance(0.5) ? leader : id;
          if (!c.isLive(victim)) continue;
          c.pause(victim);
          this.resumeAt.set(victim, now + rng.range(p.pauseTicks[0], p.pauseTicks[1]));
          this.stats.pauses++;
        }
      }
    }
    if (p.membershipRate > 0 && rng.chance(p.membershipRate)) {
      const leader = c.leader();
      if (leader !== null) this.changeMembership(leader);
    }
    if (p.transferRate > 0 && rng.chance(p.transferRate)) {
      const leader = c.leader();
      if (leader !== null) {
        const to = rng.pick(c.ids.filter((id) => id !== leader));
        c.trace.note(c.time, `transfer leadership n${leader} -> n${to}`);
        try {
          c.step(leader, { type: 'transfer-leadership', to });
          this.stats.transfers++;
        } catch (err) {
          if (!isRaftError(err)) throw err;
        }
      }
    }
  }

  /**
   * Ask `leader` for a membership change. Without spare nodes: demote a voter (possibly
   * itself) to learner or promote a learner back, or, now and then, both at once (a joint
   * change). With spare nodes, also add non-members (as voter or learner) and remove members
   * (the leader too). At least one voter always stays.
   */
  private changeMembership(leader: NodeId): boolean {
    const c = this.cluster;
    const membership = c.runtime(leader).node?.membership?.();
    if (membership === undefined || membership.outgoingVoters.length > 0) return false;
    const changes =
      this.profile.spareNodes > 0 ? this.drawReconfig(membership) : this.drawDemotePromote(membership);
    if (changes.length === 0) return false;
    const text = changes.map((ch) => `${ch.type} n${ch.id}`).join(', ');
    c.trace.note(c.time, `membership change at n${leader}: ${text}`);
    try {
      c.step(leader, { type: 'change-membership', changes });
    } catch (err) {
      if (!isRaftError(err)) throw err;
      c.trace.note(c.time, `  refused: ${err.code}`);
      return false;
    }
    this.stats.membershipChanges++;
    const added = changes.find((ch) => ch.type !== 'remove' && !isMemberOf(membership, ch.id));
    if (added) {
      this.newest = added.id;
      if (this.prng.chance(this.profile.partitionOnAdd)) this.startPartition('leader-with-newest');
    }
    return true;
  }

  /** Start a partition of `kind` now, replacing any active one. */
  private startPartition(kind: PartitionKind): void {
    const c = this.cluster;
    c.network.heal();
    this.partition(kind);
    const [min, max] = this.profile.partitionTicks;
    this.partitionEnds = c.ticks + this.prng.range(min, max);
    this.stats.partitions++;
  }

  /**
   * The change `leader` just made is in flight: keep the leader with just a majority of its
   * new membership, everyone else on the other side, before the change reaches them.
   */
  private keepNewMajority(leader: NodeId): void {
    const c = this.cluster;
    const m = c.node(leader).membership?.();
    if (!m) return;
    const others = this.prng.shuffle(m.voters.filter((id) => id !== leader));
    const needed = Math.floor(m.voters.length / 2) + 1 - (m.voters.includes(leader) ? 1 : 0);
    const side = [leader, ...others.slice(0, needed)];
    const rest = c.ids.filter((id) => !side.includes(id));
    if (rest.length === 0) return;
    c.network.heal();
    c.network.partition([side, rest]);
    const [min, max] = this.profile.partitionTicks;
    this.partitionEnds = c.ticks + this.prng.range(min, max);
    this.stats.partitions++;
    c.trace.note(
      c.time,
      `partition: new leader n${leader} with a majority of its change: ${side.join(' ')} | ${rest.join(' ')}`,
    );
  }

  private drawDemotePromote(m: MembershipLike): MembershipChange[] {
    const rng = this.prng;
    const { voters, learners } = m;
    const demote = (): MembershipChange => ({ type: 'add-learner', id: rng.pick(voters) });
    const promote = (): MembershipChange => ({ type: 'add-voter', id: rng.pick(learners) });
    if (voters.length > 1 && learners.length > 0 && rng.chance(0.3)) return [demote(), promote()];
    if (learners.length > 0 && (voters.length === 1 || rng.chance(0.5))) return [promote()];
    if (voters.length > 1) return [demote()];
    return [];
  }

  /** One change (or, a quarter of the time, two: a joint change) among all that keep a voter. */
  private drawReconfig(m: MembershipLike): MembershipChange[] {
    const rng = this.prng;
    const spares = this.cluster.ids.filter((id) => !isMemberOf(m, id));
    const options: (() => MembershipChange)[] = [];
    if (spares.length > 0) {
      options.push(() => ({ type: 'add-voter', id: rng.pick(spares) }));
      options.push(() => ({ type: 'add-learner', id: rng.pick(spares) }));
    }
    if (m.learners.length > 0) {
      options.push(() => ({ type: 'add-voter', id: rng.pick(m.learners) }));
      options.push(() => ({ type: 'remove', id: rng.pick(m.learners) }));
    }
    if (m.voters.length > 1) {
      options.push(() => ({ type: 'remove', id: rng.pick(m.voters) }));
      options.push(() => ({ type: 'add-learner', id: rng.pick(m.voters) }));
    }
    if (options.length === 0) return [];
    const first = rng.pick(options)();
    if (!rng.chance(0.25)) return [first];
    const second = rng.pick(options)();
    if (second.id === first.id) return [first];
    const voters = new Set(m.voters);
    for (const ch of [first, second]) {
      if (ch.type === 'add-voter') voters.add(ch.id);
      else voters.delete(ch.id);
    }
    return voters.size > 0 ? [first, second] : [first];
  }

  /** End every fault: links restored, calm network, crashed nodes restarted, paused ones resumed. */
  healAll(): void {
    this.active = false;
    const c = this.cluster;
    c.network.heal();
    c.network.setFaults(CALM_NETWORK);
    c.syncCrash = 0;
    this.partitionEnds = -1;
    this.restartAt.clear();
    this.resumeAt.clear();
    c.trace.note(c.time, 'HEAL: all faults end');
    for (const id of c.ids) if (!c.isUp(id)) c.restart(id);
    for (const id of c.ids) if (c.isUp(id) && c.runtime(id).paused) c.resume(id);
  }

  private down(): number {
    let n = 0;
    for (const id of this.cluster.ids) if (!this.cluster.isLive(id)) n++;
    return n;
  }

  private partition(kind: PartitionKind): void {
    const c = this.cluster;
    const ids = c.ids;
    const rng = this.prng;
    const net = c.network;
    const shuffled = rng.shuffle(ids);
    switch (kind) {
      case 'split': {
        const cut = rng.range(1, ids.length - 1);
        const a = shuffled.slice(0, cut);
        const b = shuffled.slice(cut);
        net.partition([a, b]);
        c.trace.note(c.time, `partition ${a.join(' ')} | ${b.join(' ')}`);
        return;
      }
      case 'one-way': {
        const x = shuffled[0]!;
        const deaf = rng.chance(0.5);
        for (const y of ids) if (y !== x) deaf ? net.cut(y, x) : net.cut(x, y);
        c.trace.note(c.time, `one-way partition: n${x} ${deaf ? 'hears no one' : 'is heard by no one'}`);
        return;
      }
      case 'isolate': {
        const x = shuffled[0]!;
        net.isolate(x, ids);
        c.trace.note(c.time, `isolate n${x}`);
        return;
      }
      case 'partial': {
        // Prefer isolating the leader: the shape that starves a naive Raft of progress.
        const leader = c.leader();
        const x = leader !== null && rng.chance(0.5) ? leader : shuffled[0]!;
        const peer = rng.pick(ids.filter((id) => id !== x));
        net.isolate(x, ids, peer);
        c.trace.note(c.time, `partial partition: n${x} reaches only n${peer}`);
        return;
      }
      case 'leader-with-newest':
      case 'old-leader-with-newest': {
        // The (old) leader and the member added last on one side, with some of the others:
        // each side may then hold a majority of the membership it knows.
        const leader = kind === 'leader-with-newest' ? c.leader() : this.previousLeader;
        const newest = this.newest;
        if (leader === null || newest === null || newest === leader) {
          this.partition('isolate');
          return;
        }
        const others = shuffled.filter((id) => id !== leader && id !== newest);
        if (others.length === 0) {
          this.partition('isolate');
          return;
        }
        // Some of the others join the old leader; at least one stays on the other side.
        const joining = kind === 'leader-with-newest' ? 0 : rng.int(others.length);
        const side = [leader, newest, ...others.slice(0, joining)];
        const rest = others.slice(joining);
        net.partition([side, rest]);
        const who = kind === 'leader-with-newest' ? 'leader' : 'old leader';
        c.trace.note(
          c.time,
          `partition: ${who} n${leader} with newest n${newest}: ${side.join(' ')} | ${rest.join(' ')}`,
        );
        return;
      }
      case 'bridge': {
        if (ids.length < 3) {
          this.partition('split');
          return;
        }
        const bridge = shuffled[0]!;
        const rest = shuffled.slice(1);
        const cut = rng.range(1, rest.length - 1);
        const a = rest.slice(0, cut);
        const b = rest.slice(cut);
        net.partition([a, b]);
        c.trace.note(c.time, `bridge partition: ${a.join(' ')} | ${b.join(' ')} joined only by n${bridge}`);
        return;
      }
    }
  }
}

type MembershipLike = {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly outgoingVoters: readonly NodeId[];
};

function isMemberOf(m: MembershipLike, id: NodeId): boolean {
  return m.voters.includes(id) || m.learners.includes(id) || m.outgoingVoters.includes(id);
}
