/**
 * The read bookkeeping unit by unit (issue 20: these rules were only checked through whole
 * clusters, and wrong arithmetic in them survived): which round confirms a read, which
 * acknowledgements count, the lease's start tick and the rounds it may start from, the
 * pending-read bound, and what step-down and a leader change release.
 */
import { describe, expect, it } from 'vitest';
import { LeaderReads, MAX_PENDING_READS, NodeReads } from '../src/read-only.js';
import type { Membership } from '../src/types.js';

const SELF = 1;
const three: Membership = { voters: [1, 2, 3], learners: [], outgoingVoters: [] };
const read = (id: string) => ({ id, from: SELF });
const ids = (reads: readonly { id: string }[]) => reads.map((r) => r.id);

describe('LeaderReads: rounds and acknowledgements', () => {
  it('wants no round until a read registers, and not again once the round is sent', () => {
    const r = new LeaderReads();
    expect(r.needsRound()).toBe(false);
    r.register(read('a'), 5);
    expect(r.needsRound()).toBe(true);
    r.openRound(0, 10);
    expect(r.needsRound()).toBe(false);
  });

  it('confirms a read only by the first round sent after it arrived, not an earlier one', () => {
    const r = new LeaderReads();
    expect(r.openRound(0, 10)).toBe(1);
    r.register(read('a'), 7); // waits for round 2
    r.ack(2, 1); // a quorum (self and 2) answered round 1: sent before the read arrived
    expect(r.releaseConfirmed(three, SELF)).toEqual([]);
    expect(r.openRound(1, 10)).toBe(2);
    r.ack(2, 2);
    expect(r.releaseConfirmed(three, SELF)).toEqual([{ id: 'a', from: SELF, index: 7, round: 2 }]);
    expect(r.size()).toBe(0);
  });

  it('ignores an acknowledgement of a round never sent', () => {
    const r = new LeaderReads();
    r.openRound(0, 10);
    r.register(read('a'), 3); // waits for round 2, not sent yet
    r.ack(2, 2);
    r.ack(3, 2);
    expect(r.releaseConfirmed(three, SELF)).toEqual([]);
    r.openRound(1, 10); // round 2 goes out only now: the early answers must not count for it
    expect(r.releaseConfirmed(three, SELF)).toEqual([]);
  });

  it('never lowers a peer acknowledgement with an older, reordered one', () => {
    const r = new LeaderReads();
    r.openRound(0, 10);
    r.openRound(1, 10);
    r.ack(2, 2);
    r.ack(2, 1); // a late answer to round 1 arrives after the answer to round 2
    r.register(read('a'), 4); // waits for round 3
    r.openRound(2, 10);
    r.ack(3, 3);
    // Lease: self now (5), peer 3 at round 3 (tick 2), peer 2 at round 2 (tick 1): quorum at 2.
    expect(r.leaseStart(three, SELF, 5)).toBe(2);
    const five: Membership = { voters: [1, 2, 3, 4, 5], learners: [], outgoingVoters: [] };
    // Five voters need three: self (5), peer 3 (2), peer 2 (1, not 0 from the stale round 1).
    expect(r.leaseStart(five, SELF, 5)).toBe(1);
  });

  it('counts this node as answering every round only when it is a voter', () => {
    const r = new LeaderReads();
    r.openRound(0, 10);
    r.register(read('a'), 1);
    r.openRound(1, 10);
    r.ack(2, 2);
    const selfLearner: Membership = { voters: [2, 3], learners: [1], outgoingVoters: [] };
    expect(r.releaseConfirmed(selfLearner, SELF)).toEqual([]);
    expect(ids(r.releaseConfirmed(three, SELF))).toEqual(['a']);
  });

  it('releases confirmed reads in arrival order and keeps the rest', () => {
    const r = new LeaderReads();
    r.register(read('a'), 1); // round 1
    r.openRound(0, 10);
    r.register(read('b'), 2); // round 2
    r.ack(2, 1);
    expect(ids(r.releaseConfirmed(three, SELF))).toEqual(['a']);
    expect(r.size()).toBe(1);
    r.openRound(1, 10);
    r.ack(3, 2);
    expect(ids(r.releaseConfirmed(three, SELF))).toEqual(['b']);
  });
});

describe('LeaderReads: the lease start', () => {
  it('is the newest send tick a quorum answered, with this node at now', () => {
    const r = new LeaderReads();
    r.openRound(3, 10);
    r.openRound(5, 10);
    r.ack(2, 1); // tick 3
    expect(r.leaseStart(three, SELF, 7)).toBe(3); // self 7, peer 2 at 3, peer 3 never
    r.ack(3, 2); // tick 5
    expect(r.leaseStart(three, SELF, 7)).toBe(5);
  });

  it('is -Infinity while no peer has answered', () => {
    const r = new LeaderReads();
    r.openRound(0, 10);
    expect(r.leaseStart(three, SELF, 1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('forgets rounds sent more than an election timeout ago, and keeps one sent exactly then', () => {
    const r = new LeaderReads();
    r.openRound(0, 10); // round 1 at tick 0
    r.openRound(10, 10); // round 2 at tick 10: round 1 is exactly one election timeout old
    r.ack(2, 1);
    expect(r.leaseStart(three, SELF, 10)).toBe(0);
    r.openRound(11, 10); // round 3: round 1 is now older than an election timeout
    expect(r.leaseStart(three, SELF, 11)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('LeaderReads: what it holds', () => {
  it('counts reads waiting for a round and for the in-term commit together', () => {
    const r = new LeaderReads();
    r.register(read('a'), 1);
    r.register(read('b'), 1);
    r.awaitCommit(read('c'));
    expect(r.size()).toBe(3);
    expect(ids(r.takeAwaitingCommit())).toEqual(['c']);
    expect(r.takeAwaitingCommit()).toEqual([]);
    expect(r.size()).toBe(2);
  });

  it(`is full at exactly MAX_PENDING_READS (${MAX_PENDING_READS}) reads`, () => {
    const r = new LeaderReads();
    for (let i = 0; i < MAX_PENDING_READS - 1; i++) r.register(read(`r${i}`), 1);
    expect(r.full()).toBe(false);
    r.awaitCommit(read('last'));
    expect(r.full()).toBe(true);
  });

  it('hands every read over on step-down and holds nothing afterwards', () => {
    const r = new LeaderReads();
    r.register(read('a'), 1);
    r.awaitCommit(read('b'));
    expect(ids(r.drain())).toEqual(['a', 'b']);
    expect(r.size()).toBe(0);
    expect(r.needsRound()).toBe(false);
    expect(r.drain()).toEqual([]);
  });
});

describe('NodeReads', () => {
  it('counts forwarded and confirmed reads together', () => {
    const n = new NodeReads();
    n.forward('a');
    n.forward('b');
    n.confirmed({ id: 'c', index: 4 });
    expect(n.size()).toBe(3);
    expect(n.answered('a')).toBe(true);
    expect(n.answered('a')).toBe(false);
    expect(n.size()).toBe(2);
  });

  it('returns every forwarded read to fail when the leader changes', () => {
    const n = new NodeReads();
    n.forward('a');
    n.forward('b');
    expect(n.dropForwarded()).toEqual(['a', 'b']);
    expect(n.dropForwarded()).toEqual([]);
    expect(n.answered('a')).toBe(false);
  });

  it('releases a confirmed read only once its index is applied', () => {
    const n = new NodeReads();
    n.confirmed({ id: 'a', index: 5 });
    n.confirmed({ id: 'b', index: 3 });
    expect(n.releaseApplied(2)).toEqual([]);
    expect(n.releaseApplied(4)).toEqual([{ id: 'b', index: 3 }]);
    expect(n.releaseApplied(5)).toEqual([{ id: 'a', index: 5 }]);
    expect(n.size()).toBe(0);
  });
});
