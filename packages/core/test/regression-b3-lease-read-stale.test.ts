/**
 * Regression B3 (issue 11, linearizability): lease reads were stale with `checkQuorum` on and
 * every clock ticking at the same rate. The leader answered a lease read whenever it was
 * leader (and knew its commit index), trusting check-quorum to step it down in time. Four
 * paths let another leader commit a write first, and the old leader then served a read
 * without it:
 *   (a) a new leader before any follower acknowledged it in its term;
 *   (b) a leader still leading after the followers' stickiness expired (check-quorum runs
 *       every electionTick, so it may lead up to 2 x electionTick after it last heard a
 *       quorum, while followers defer to it for 1 x electionTick);
 *   (c) leadership transfer: the old leader after it sent timeout-now;
 *   (d) a restarted follower that votes at once while the leader counts its earlier ack.
 *
 * Every schedule here ends the same way: another leader has committed x=1, then a read
 * starts on the old leader. Correct: the old leader never answers `read-ready` with an index
 * below that commit (it may answer `read-failed`, or nothing, or throw NotLeaderError).
 *
 * All nodes run with `leaseRead: true`, check-quorum and pre-vote on, electionTick 10 and
 * heartbeatTick 1. Time passes in lockstep rounds: every node that is up ticks once per round,
 * in id order, and messages cross (where links allow) without latency.
 */
import { describe, expect, it } from 'vitest';
import type { Message, NodeId } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';
import {
  cutBoth,
  highestCommit,
  joinBoth,
  leadAndCommit,
  readAnswers,
  tryStep,
} from './helpers/regression.js';

const LEASE = { leaseRead: true, checkQuorum: true, preVote: true, electionTick: 10, heartbeatTick: 1 };

/** Node 1 leads term 1 and `a` (index 1) is committed on all three nodes; no tick yet (t = 0). */
function leaseCluster(): TestCluster {
  const c = new TestCluster([1, 2, 3], LEASE);
  leadAndCommit(c, { heartbeat: false });
  expect(c.node(1).isLeader()).toBe(true);
  expect([1, 2, 3].map((id) => c.node(id).commitIndex())).toEqual([1, 1, 1]);
  return c;
}

/**
 * `rounds` lockstep rounds: every node that is up ticks once per round, in id order; the
 * network has no latency, so what a tick sends is delivered (where links allow) before the
 * next node ticks.
 */
function lockstep(c: TestCluster, rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    for (const id of c.ids) {
      c.tick(id);
      c.deliverAll();
    }
  }
}

const isVoteMessage = (m: Message) => m.type === 'request-vote' || m.type === 'request-vote-response';

/**
 * The check every path ends with: `newLeader` has committed x=1; a read then starts on
 * `oldLeader`, and time goes on for a few rounds. No `read-ready` for it may carry an index
 * below what `newLeader` had committed when the read started.
 */
function expectNoStaleRead(c: TestCluster, oldLeader: NodeId, newLeader: NodeId): void {
  const committed = highestCommit(c);
  expect(c.node(newLeader).commitIndex()).toBe(committed.index);
  expect(c.commands(newLeader)).toContain('x=1');
  const role = `${c.node(oldLeader).role()} of term ${c.node(oldLeader).term()}`;
  tryStep(c, oldLeader, { type: 'read', id: 'r' });
  lockstep(c, 3);
  const stale = readAnswers(c, oldLeader, 'r').filter(
    (a) => a.type === 'read-ready' && a.index < committed.index,
  );
  expect(
    stale,
    `stale read: node ${oldLeader} (${role} when the read started) answered below index ` +
      `${committed.index}, which node ${newLeader} (term ${c.node(newLeader).term()}) had committed before`,
  ).toEqual([]);
}

describe('B3: a lease read never misses a write another leader committed first', () => {
  it('(a) a new leader holds no lease before a quorum acknowledged it in its term', () => {
    const c = leaseCluster();

    // init: every link goes down and 20 lockstep rounds pass. Nobody hears a leader; node 1
    // steps down by check-quorum; the followers' timers fire, but their pre-votes are lost.
    c.partition([1], [2], [3]);
    lockstep(c, 20);
    expect(c.node(1).isLeader()).toBe(false);

    // init: node 2 times out and wins term 2 with node 3's vote (node 3 has heard no leader
    // for 20 ticks, so it does not defer). Every append node 2 sends after that is lost:
    // node 3 has voted for node 2 but never heard from it as leader.
    joinBoth(c, 2, 3);
    c.step(2, { type: 'campaign' });
    c.deliverWhere(isVoteMessage);
    expect(c.node(2).isLeader()).toBe(true);
    expect(c.node(2).term()).toBe(2);
    c.queue = [];
    cutBoth(c, 2, 3);

    // act: node 1 times out. Its pre-vote for term 2 is refused by node 3 with term 2, which
    // node 1 adopts; its next timeout wins term 3 with node 3's vote (node 3 knows no leader).
    // Node 1 then commits x=1 with node 3. All of this fits in less than one tick.
    joinBoth(c, 1, 3);
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    expect(c.node(1).term()).toBe(2);
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    expect(c.node(1).isLeader()).toBe(true);
    expect(c.node(1).term()).toBe(3);
    c.step(1, { type: 'propose', command: bytes('x=1') });
    c.deliverAll();

    // check: node 2, leader of term 2 that nobody ever acknowledged in its term, serves no
    // stale read (observed with the bug: read-ready at index 1; node 1 had committed 2).
    expect(c.node(2).isLeader()).toBe(true);
    expectNoStaleRead(c, 2, 1);
  });

  it('(b) a lease ends one election timeout after the quorum acknowledgement it rests on, not at the next check-quorum', () => {
    const c = leaseCluster();

    // init: 10 lockstep rounds. At tick 10 node 1 runs check-quorum (it passes) and sends a
    // heartbeat round that both followers acknowledge: the last they hear from it.
    lockstep(c, 10);
    expect(c.node(1).isLeader()).toBe(true);

    // act: node 1 is cut off. Time passes in lockstep. The followers defer to node 1 until
    // tick 20 (one election timeout after its last heartbeat); the first follower timer to
    // fire after that wins term 2 with the other's vote (here node 2's, at tick 22). Node 1's
    // acknowledgements of tick 10 carry it through its check-quorum at tick 20; it would step
    // down only at tick 30.
    c.partition([1], [2, 3]);
    let tick = 10;
    const newLeader = () => [2, 3].find((id) => c.node(id).isLeader());
    while (newLeader() === undefined && tick < 50) {
      lockstep(c, 1);
      tick++;
    }
    const l = newLeader();
    expect(l, 'the majority side {2,3} elects a leader').toBeDefined();
    expect(tick).toBeGreaterThanOrEqual(20);
    c.step(l!, { type: 'propose', command: bytes('x=1') });
    c.deliverAll();

    // check: observed with the bug: node 1, still leader of term 1, answers read-ready at
    // index 1 after the new leader committed x=1.
    expectNoStaleRead(c, 1, l!);
  });

  it('(c) a leader holds no lease once it has sent timeout-now', () => {
    const c = leaseCluster();
    lockstep(c, 3); // a few ticks of normal operation

    // init: node 1 hands leadership to node 2, which holds its whole log: timeout-now goes
    // out at once and node 2 campaigns with the transfer flag (no pre-vote, and node 3 grants
    // its vote despite having just heard from node 1). Node 1 is cut off right after sending
    // timeout-now, so it never hears of term 2.
    c.step(1, { type: 'transfer-leadership', to: 2 });
    c.deliverWhere((m) => m.type === 'timeout-now');
    c.isolate(1);
    c.queue = c.queue.filter((m) => m.from !== 1 && m.to !== 1);

    // act: node 2 wins term 2 with node 3 and commits x=1 (all within one tick).
    c.deliverAll();
    expect(c.node(2).isLeader()).toBe(true);
    c.step(2, { type: 'propose', command: bytes('x=1') });
    c.deliverAll();

    // check: observed with the bug: node 1, still leader of term 1 with the transfer pending,
    // answers read-ready at index 1.
    expectNoStaleRead(c, 1, 2);
  });

  it('(d) a restarted follower does not vote while a leader may still count its earlier acknowledgement', () => {
    const c = leaseCluster();

    // init: the link 1-2 is down from t = 0. Node 1 leads with node 3 for 20 lockstep rounds;
    // node 2 hears no leader, and its pre-votes are ignored by node 3 (which defers to node
    // 1). After round 20 node 1's lease rests on node 3's acknowledgement of tick 20.
    cutBoth(c, 1, 2);
    lockstep(c, 20);
    expect(c.node(1).isLeader()).toBe(true);

    // init: node 1 is cut off from node 3 too, and node 3 crashes and restarts at once on its
    // own log (a restarted node does not remember having heard from a leader).
    cutBoth(c, 1, 3);
    c.crash(3);
    c.restart(3);

    // act: node 2's timer fires (it has heard no leader for 20 ticks). With the bug node 3
    // grants its pre-vote and vote at once: node 2 wins term 2 and commits x=1 with node 3,
    // all within the same tick.
    c.step(2, { type: 'campaign' });
    c.deliverAll();
    const l = c.node(2).isLeader() ? 2 : undefined;
    if (l !== undefined) {
      c.step(2, { type: 'propose', command: bytes('x=1') });
      c.deliverAll();
      // check: observed with the bug: node 1 answers read-ready at index 1.
      expectNoStaleRead(c, 1, 2);
    } else {
      // A correct core: the restarted node 3 grants no vote for an election timeout, so no
      // other leader exists while node 1's lease (from node 3's acknowledgement) lasts.
      expect(highestCommit(c).index).toBe(c.node(1).commitIndex());
    }
  });
});
