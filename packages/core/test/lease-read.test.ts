/**
 * The leader lease's rules, each pinned by the schedule that breaks it when the rule is
 * removed (dissertation §6.4.1; see read-only.ts for the argument). Every node runs with
 * `leaseRead`, check-quorum and pre-vote, electionTick 10, heartbeatTick 1; time passes in
 * lockstep rounds (every node up ticks once per round, in id order, and messages cross
 * without latency where links allow).
 */
import { describe, expect, it } from 'vitest';
import { NotLeaderError, RaftNode } from '../src/index.js';
import { leaseTicks, MAX_PENDING_READS } from '../src/read-only.js';
import { TestCluster } from './helpers/cluster.js';
import { cutBoth, highestCommit, leadAndCommit, readAnswers } from './helpers/regression.js';

const E = 10;
const LEASE = { leaseRead: true, checkQuorum: true, preVote: true, electionTick: E, heartbeatTick: 1 };

function lockstep(c: TestCluster, rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    for (const id of c.ids) {
      c.tick(id);
      c.deliverAll();
    }
  }
}

describe('§6.4.1 lease reads', () => {
  it('the lease ends a tick early: a follower that acknowledged at tick T may vote at the end of round T + E - 1 (phase margin)', () => {
    // init: node 1 leads term 1 with `a` committed; run to the round in which its check-quorum
    // passed (its E-th tick as leader), so it leads for E more ticks whatever happens.
    const c = new TestCluster([1, 2, 3], LEASE);
    leadAndCommit(c, { heartbeat: false });
    lockstep(c, E);
    expect(c.node(1).isLeader()).toBe(true);
    // Round R's heartbeat (sent at node 1's tick T) reached 2 and 3, who answered: the lease
    // runs from T. Now node 1 is cut off.
    cutBoth(c, 1, 2);
    cutBoth(c, 1, 3);

    // act: E - 1 more rounds. Followers 2 and 3 have counted E ticks since the heartbeat; node
    // 2 campaigns (allowed now), wins with node 3, and commits x. Node 1 still leads (its next
    // check-quorum is at tick T + E) and a read starts on it.
    lockstep(c, E - 1);
    c.step(2, { type: 'campaign' });
    c.deliverAll();
    expect(c.node(2).isLeader()).toBe(true);
    c.propose('x');
    c.deliverAll();
    expect(c.node(1).isLeader()).toBe(true);
    const committed = highestCommit(c);
    expect(committed.id).toBe(2);
    c.step(1, { type: 'read', id: 'stale?' });
    lockstep(c, 3);

    // check: node 1's lease (T + leaseTicks(E) = T + 8) had ended; a lease of E ticks would
    // have served the read at index 1 here
    expect(leaseTicks(E)).toBeLessThan(E - 1);
    for (const a of readAnswers(c, 1, 'stale?')) {
      if (a.type === 'read-ready') expect(a.index).toBeGreaterThanOrEqual(committed.index);
    }
  });

  it('the lease covers exactly leaseTicks(E) leader ticks from its start: a read at the last one is served at once, one tick later it waits', () => {
    // Two identical clusters: node 1 leads with `a` committed, its followers answered the
    // round it sent at tick T, then it is cut off and ticks alone.
    const cutOffAfter = (ticks: number) => {
      const c = new TestCluster([1, 2, 3], LEASE);
      leadAndCommit(c, { heartbeat: false });
      lockstep(c, E);
      cutBoth(c, 1, 2);
      cutBoth(c, 1, 3);
      c.tick(1, ticks);
      return c;
    };
    const servedAtOnce = (c: TestCluster) =>
      c.step(1, { type: 'read', id: 'r' }).some((a) => a.type === 'read-ready');
    // The round answered last was sent on the tick of the last lockstep round: T = now.
    expect(servedAtOnce(cutOffAfter(leaseTicks(E) - 1))).toBe(true);
    expect(servedAtOnce(cutOffAfter(leaseTicks(E)))).toBe(false);
  });

  it('reads on the leader are bounded: past MAX_PENDING_READS waiting, a read fails at once with UNAVAILABLE', () => {
    // init: node 1 leads, cut off from both followers, so no heartbeat round completes.
    const c = new TestCluster([1, 2, 3], { electionTick: E, checkQuorum: false });
    leadAndCommit(c, { heartbeat: false });
    cutBoth(c, 1, 2);
    cutBoth(c, 1, 3);
    const node = c.node(1);
    for (let i = 0; i < MAX_PENDING_READS; i++) node.step({ type: 'read', id: `r${i}` });
    // act
    const out = node.step({ type: 'read', id: 'one-too-many' });
    // check
    const failed = out.find((a) => a.type === 'read-failed');
    expect(failed).toMatchObject({
      id: 'one-too-many',
      error: { code: 'UNAVAILABLE', message: 'too many reads waiting on the leader; retry' },
    });
  });

  it('a read needs a non-empty string id, and a leader to ask', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] });
    for (const id of ['', 7]) {
      expect(() => node.step({ type: 'read', id: id as string })).toThrow('read needs a non-empty string id');
    }
    expect(() => node.step({ type: 'read', id: 'r' })).toThrow(NotLeaderError);
    node.step({ type: 'campaign' });
    expect(() => node.step({ type: 'read', id: 'r' })).toThrow(NotLeaderError);
  });

  it('no lease before an entry of the leader term is committed, even in term 1 (DESIGN: nor answers a read from a lease)', () => {
    // init: node 1 leads term 1; nothing committed yet; its followers answered a heartbeat
    const c = new TestCluster([1, 2, 3], LEASE);
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    lockstep(c, 1);
    expect(c.node(1).isLeader()).toBe(true);
    expect(c.node(1).commitIndex()).toBe(0);

    // act: a read on the leader
    const actions = c.step(1, { type: 'read', id: 'r' });

    // check: not served from the lease at once; it goes through a heartbeat round
    expect(actions.filter((a) => a.type === 'read-ready')).toEqual([]);
    expect(actions.some((a) => a.type === 'send' && a.message.type === 'heartbeat')).toBe(true);
    c.deliverAll();
    expect(readAnswers(c, 1, 'r')).toEqual([{ type: 'read-ready', id: 'r', index: 0 }]);

    // and once `a` is committed in term 1, the next read is served at once
    c.propose('a');
    c.deliverAll();
    lockstep(c, 1);
    const served = c.step(1, { type: 'read', id: 'r2' });
    expect(served).toContainEqual({ type: 'read-ready', id: 'r2', index: 1 });
  });

  it('§4: a read waiting on a round is decided again when the membership changes, even if the removed node never answers (B4)', () => {
    // init: {1, 2} without lease; node 1 leads with `a` committed; a read waits for a
    // heartbeat round whose messages are lost, and node 2 goes down for good
    const c = new TestCluster([1, 2], { electionTick: E, heartbeatTick: 1 });
    leadAndCommit(c, { heartbeat: false });
    c.step(1, { type: 'read', id: 'r' });
    c.queue = [];
    c.crash(2);

    // act: node 1 removes node 2; {1} commits it alone
    c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 2 }] });
    c.deliverAll();

    // check: the read is answered (a quorum of {1} confirmed the round), without any answer
    // from node 2 and without waiting for a tick
    expect(readAnswers(c, 1, 'r')).toEqual([{ type: 'read-ready', id: 'r', index: 1 }]);
  });
});
