/**
 * `FaultScheduler`: draws the faults of a `FaultProfile` tick by tick (partitions of every
 * shape, crashes with lost writes, pauses, leadership transfers, membership changes) and ends each one when its
 * time is up; `healAll` ends them all at once for the heal phase.
 */
import { type MembershipChange, type NodeId, RaftError } from '@raft-io/core';
import { CALM_NETWORK } from '../network/sim-network.js';
import type { Prng } from '../prng.js';
import type { Cluster } from './cluster.js';
import type { FaultProfile, PartitionKind } from './scenarios.js';

export interface FaultStats {
  partitions: number;
  crashes: number;
  pauses: number;
  transfers: number;
  membershipChanges: number;
}

export class FaultScheduler {
  readonly stats: FaultStats = { partitions: 0, crashes: 0, pauses: 0, transfers: 0, membershipChanges: 0 };
  private partitionEnds = -1;
  private readonly restartAt = new Map<NodeId, number>();
  private readonly resumeAt = new Map<NodeId, number>();
  /** At most this many nodes down or paused at once (a majority now and then). */
  private readonly maxDown: number;

  constructor(
    private readonly cluster: Cluster,
    private readonly prng: Prng,
    private readonly profile: FaultProfile,
  ) {
    this.maxDown = Math.floor((cluster.ids.length - 1) / 2) + 1;
    cluster.network.setFaults(profile.network);
    cluster.syncCrash = profile.syncCrash;
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
    if (p.membershipRate > 0 && rng.chance(p.membershipRate)) this.changeMembership();
    if (p.transferRate > 0 && rng.chance(p.transferRate)) {
      const leader = c.leader();
      if (leader !== null) {
        const to = rng.pick(c.ids.filter((id) => id !== leader));
        c.trace.note(c.time, `transfer leadership n${leader} -> n${to}`);
        try {
          c.step(leader, { type: 'transfer-leadership', to });
          this.stats.transfers++;
        } catch (err) {
          if (!(err instanceof RaftError)) throw err;
        }
      }
    }
  }

  /**
   * Ask the leader to demote a voter (possibly itself) to learner or to promote a learner
   * back, or, now and then, both at once (a joint change). At least one voter always stays.
   */
  private changeMembership(): void {
    const c = this.cluster;
    const rng = this.prng;
    const leader = c.leader();
    const membership = leader === null ? undefined : c.runtime(leader).node?.membership?.();
    if (leader === null || membership === undefined || membership.outgoingVoters.length > 0) return;
    const { voters, learners } = membership;
    const demote = (): MembershipChange => ({ type: 'add-learner', id: rng.pick(voters) });
    const promote = (): MembershipChange => ({ type: 'add-voter', id: rng.pick(learners) });
    let changes: MembershipChange[];
    if (voters.length > 1 && learners.length > 0 && rng.chance(0.3)) changes = [demote(), promote()];
    else if (learners.length > 0 && (voters.length === 1 || rng.chance(0.5))) changes = [promote()];
    else if (voters.length > 1) changes = [demote()];
    else return;
    const text = changes
      .map((ch) => `${ch.type === 'add-voter' ? 'promote' : 'demote'} n${ch.id}`)
      .join(', ');
    c.trace.note(c.time, `membership change at n${leader}: ${text}`);
    try {
      c.step(leader, { type: 'change-membership', changes });
      this.stats.membershipChanges++;
    } catch (err) {
      if (!(err instanceof RaftError)) throw err;
    }
  }

  /** End every fault: links restored, calm network, crashed nodes restarted, paused ones resumed. */
  healAll(): void {
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
