/**
 * Leadership transfer (dissertation §3.10): the leader brings the target's log up to date,
 * then sends it TimeoutNow; the target campaigns at once in the next term, skipping pre-vote,
 * and voters grant it despite leader stickiness. While a transfer is in progress the leader
 * refuses proposals; a transfer that does not finish within an election timeout is abandoned.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type NodeId, NotLeaderError, TransferInProgressError } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';
import { checkAll, machinesAgree } from './helpers/invariants.js';

function safety() {
  const state = {
    smHistory: new Map<number, string>(),
    committed: new Map<number, { term: number; seenIn: number }>(),
  };
  return (c: TestCluster): void => {
    const violation = checkAll(c, state) ?? machinesAgree(c);
    if (violation) throw new Error(violation);
  };
}

/** A three-node cluster whose leader committed `a` everywhere. */
function threeNodes(options: { preVote?: boolean; checkQuorum?: boolean; maxSizePerMsg?: number } = {}) {
  const c = new TestCluster([1, 2, 3], { electionTick: 5, ...options });
  const leader = c.elect();
  c.propose('a');
  expect(c.runUntil(() => c.caughtUp())).toBe(true);
  const [target, other] = c.ids.filter((id) => id !== leader.id) as [NodeId, NodeId];
  return { c, leader, target, other };
}

describe('§3.10 leadership transfer', () => {
  for (const options of [
    { preVote: true, checkQuorum: true },
    { preVote: false, checkQuorum: true },
    { preVote: true, checkQuorum: false },
    { preVote: false, checkQuorum: false },
  ]) {
    it(`§3.10: a transfer to an up-to-date follower makes it leader of the next term without waiting for a timeout (${JSON.stringify(options)})`, () => {
      // init
      const check = safety();
      const { c, leader, target, other } = threeNodes(options);
      const term = leader.term();
      const sentBefore = { target: c.sentBy(target).length, other: c.sentBy(other).length };

      // act: request the transfer; deliver messages, no tick
      const actions = c.step(leader.id, { type: 'transfer-leadership', to: target });
      expect(actions).toContainEqual({
        type: 'send',
        to: target,
        message: { type: 'timeout-now', from: leader.id, to: target, term },
      });
      c.deliverAll();

      // check: the target leads term + 1, everyone follows it
      expect(c.node(target).isLeader()).toBe(true);
      expect(c.node(target).term()).toBe(term + 1);
      for (const id of [leader.id, other]) {
        expect(c.node(id).role()).toBe('follower');
        expect(c.node(id).leader()).toBe(target);
      }
      // TimeoutNow skipped pre-vote: only real vote requests, flagged as a transfer
      const requests = c
        .sentBy(target)
        .slice(sentBefore.target)
        .filter((m) => m.type === 'request-vote');
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) expect(r).toMatchObject({ preVote: false, transfer: true, term: term + 1 });
      // and leader stickiness: the other follower had just heard from the leader, yet granted
      const answers = c
        .sentBy(other)
        .slice(sentBefore.other)
        .filter((m) => m.type === 'request-vote-response');
      expect(answers).toEqual([
        {
          type: 'request-vote-response',
          from: other,
          to: target,
          term: term + 1,
          preVote: false,
          granted: true,
        },
      ]);

      // act + check: the new leader commits; nothing was lost
      c.propose('b');
      expect(c.runUntil(() => c.caughtUp())).toBe(true);
      for (const id of c.ids) expect(c.machines.get(id)).toEqual(['a', 'b']);
      check(c);
    });
  }

  it('§3.10: a transfer to a lagging follower first catches it up, then sends TimeoutNow', () => {
    // init: the target misses three entries; one entry per append, so it catches up in steps
    const check = safety();
    const { c, leader, target, other } = threeNodes({ maxSizePerMsg: 1 });
    c.isolate(target);
    for (const x of ['b', 'c', 'd']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp([leader.id, other]))).toBe(true);
    c.heal();
    const term = leader.term();

    // act: request the transfer
    const actions = c.step(leader.id, { type: 'transfer-leadership', to: target });

    // check: no TimeoutNow yet, since the target is behind
    expect(actions.some((a) => a.type === 'send' && a.message.type === 'timeout-now')).toBe(false);
    expect(leader.status().leadTransferee).toBe(target);

    // act: run the cluster; watch the TimeoutNow arrive
    let targetLogAtTimeoutNow = -1;
    let leaderLogAtTimeoutNow = -2;
    // What the leader knew the target held when it sent the TimeoutNow (not when it arrived:
    // the catch-up append travels ahead of it either way).
    let matchWhenSent = -1;
    const watchSend = () => {
      if (matchWhenSent < 0 && c.queue.some((m) => m.type === 'timeout-now'))
        matchWhenSent = leader.status().progress?.[target]?.match ?? -1;
    };
    for (let round = 0; round < 50 && !c.node(target).isLeader(); round++) {
      c.tickAll();
      watchSend();
      while (c.queue.length > 0) {
        const m = c.queue[0]!;
        if (m.type === 'timeout-now' && targetLogAtTimeoutNow < 0) {
          targetLogAtTimeoutNow = c.node(target).lastIndex();
          leaderLogAtTimeoutNow = leader.lastIndex();
        }
        c.deliverAt(0);
        watchSend();
      }
    }

    // check: the leader sent TimeoutNow only once the target matched its whole log; the target
    // held it when told to campaign, and won
    expect(matchWhenSent).toBe(leaderLogAtTimeoutNow);
    expect(targetLogAtTimeoutNow).toBe(leaderLogAtTimeoutNow);
    expect(c.node(target).isLeader()).toBe(true);
    expect(c.node(target).term()).toBe(term + 1);
    c.propose('e');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    for (const id of c.ids) expect(c.machines.get(id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    check(c);
  });

  it('§3.10: proposals during a transfer throw TransferInProgressError; a transfer not done within an election timeout is abandoned, and proposals work again', () => {
    // init: the target is cut off, so the transfer cannot finish
    const check = safety();
    const { c, leader, target, other } = threeNodes();
    c.isolate(target);
    c.propose('b');
    expect(c.runUntil(() => c.caughtUp([leader.id, other]))).toBe(true);
    const term = leader.term();

    // act: start the transfer, then propose
    c.step(leader.id, { type: 'transfer-leadership', to: target });
    const propose = () => c.step(leader.id, { type: 'propose', command: bytes('x') });

    // check: refused with the target named, and nothing appended
    const last = leader.lastIndex();
    expect(propose).toThrow(TransferInProgressError);
    expect(propose).toThrow(expect.objectContaining({ code: 'TRANSFER_IN_PROGRESS', target }));
    expect(leader.lastIndex()).toBe(last);

    // act + check: one tick short of the election timeout, still in progress
    for (let i = 0; i < 4; i++) {
      c.tickAll();
      c.deliverAll();
    }
    expect(leader.status().leadTransferee).toBe(target);
    expect(propose).toThrow(TransferInProgressError);

    // act + check: at the election timeout the transfer is abandoned; the leader keeps its term
    c.tickAll();
    c.deliverAll();
    expect(leader.status().leadTransferee).toBeNull();
    expect(leader.isLeader()).toBe(true);
    expect(leader.term()).toBe(term);
    const accepted = propose().filter((a) => a.type === 'accepted');
    expect(accepted).toEqual([
      { type: 'accepted', kind: 'commands', term, firstIndex: last + 1, lastIndex: last + 1 },
    ]);
    c.heal();
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    for (const id of c.ids) expect(c.machines.get(id)).toEqual(['a', 'b', 'x']);
    check(c);
  });

  it('§3.10: a transfer to a learner or to an unknown node throws InvalidArgumentError and changes nothing', () => {
    // init: node 4 is a learner
    const { c, leader, target } = threeNodes();
    c.addNode(4, []);
    c.step(leader.id, { type: 'change-membership', changes: [{ type: 'add-learner', id: 4 }] });
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    const status = leader.status();

    // act + check
    expect(() => c.step(leader.id, { type: 'transfer-leadership', to: 4 })).toThrow(InvalidArgumentError);
    expect(() => c.step(leader.id, { type: 'transfer-leadership', to: 9 })).toThrow(InvalidArgumentError);
    expect(leader.status()).toEqual(status);
    expect(
      c.step(leader.id, { type: 'propose', command: bytes('b') }).some((a) => a.type === 'accepted'),
    ).toBe(true);

    // and on a follower, a transfer is a NotLeaderError naming the leader
    expect(() => c.step(target, { type: 'transfer-leadership', to: leader.id })).toThrow(NotLeaderError);
    expect(() => c.step(target, { type: 'transfer-leadership', to: leader.id })).toThrow(
      expect.objectContaining({ leader: leader.id }),
    );
  });

  it('§3.10: a transfer to the leader itself is a no-op', () => {
    // init
    const { c, leader } = threeNodes();

    // act
    const actions = c.step(leader.id, { type: 'transfer-leadership', to: leader.id });

    // check: nothing sent, no transfer pending, proposals accepted
    expect(actions).toEqual([]);
    expect(leader.status().leadTransferee).toBeNull();
    expect(
      c.step(leader.id, { type: 'propose', command: bytes('b') }).some((a) => a.type === 'accepted'),
    ).toBe(true);
  });

  it('§3.10: when the TimeoutNow is lost, the old leader stays leader and, after abandoning, can transfer again', () => {
    // init
    const check = safety();
    const { c, leader, target } = threeNodes();
    const term = leader.term();

    // act: the TimeoutNow is lost
    c.step(leader.id, { type: 'transfer-leadership', to: target });
    c.queue = c.queue.filter((m) => m.type !== 'timeout-now');
    c.runUntil(() => leader.status().leadTransferee === null, 20);

    // check: nobody campaigned; the leader kept its term
    expect(leader.isLeader()).toBe(true);
    expect(leader.term()).toBe(term);
    expect(c.sentBy(target).some((m) => m.type === 'request-vote')).toBe(false);

    // act + check: a second attempt succeeds
    c.step(leader.id, { type: 'transfer-leadership', to: target });
    c.deliverAll();
    expect(c.node(target).isLeader()).toBe(true);
    expect(c.node(target).term()).toBe(term + 1);
    check(c);
  });

  it('§4.2.2: a leader that removed itself steps down when its hand-over transfer times out', () => {
    // init: a leader whose removal is committed, while both other voters are cut off from it
    // before the hand-over can reach them (check-quorum off, so only the transfer rule acts)
    const { c, leader } = threeNodes({ checkQuorum: false });
    c.step(leader.id, { type: 'change-membership', changes: [{ type: 'remove', id: leader.id }] });
    const removal = leader.lastIndex();
    // The removal reaches the others and is acknowledged; an entry after it does not, so the
    // hand-over must first catch a voter up (a transfer in progress, not an instant one).
    const inFlight = c.queue;
    c.queue = [];
    c.step(leader.id, { type: 'propose', command: bytes('b') });
    c.queue = inFlight;
    c.deliverWhere((m) => m.type === 'append-entries' && m.entries.every((e) => e.index <= removal));
    c.deliverWhere((m) => m.type === 'append-entries-response');
    c.isolate(leader.id);
    c.queue = [];
    expect(leader.status().leadTransferee).not.toBeNull();
    expect(leader.isLeader()).toBe(true);

    // act: an election timeout passes without the target answering
    for (let i = 0; i < 5; i++) c.tick(leader.id);

    // check: it no longer leads
    expect(leader.isLeader()).toBe(false);
  });

  it('a transfer outlives the automatic leave of a joint membership that keeps its target a voter', () => {
    // init: five voters; node 2 (the target) is cut off while a joint change (add 6, remove 5)
    // and then its automatic leave commit.
    const c = new TestCluster([1, 2, 3, 4, 5], { electionTick: 10, preVote: false });
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    c.addNode(6);
    c.isolate(2);
    c.step(1, {
      type: 'change-membership',
      changes: [
        { type: 'add-voter', id: 6 },
        { type: 'remove', id: 5 },
      ],
    });
    c.step(1, { type: 'transfer-leadership', to: 2 });
    c.deliverAll();
    expect(c.node(1).membership()).toEqual({ voters: [1, 2, 3, 4, 6], learners: [], outgoingVoters: [] });
    expect(c.node(1).status().leadTransferee).toBe(2);
    // act: node 2 comes back within the election timeout and catches up.
    c.heal();
    for (let i = 0; i < 3; i++) {
      c.tick(1);
      c.deliverAll();
    }
    // check: it was told to campaign, and leads.
    expect(
      c
        .sentBy(1)
        .filter((m) => m.type === 'timeout-now')
        .map((m) => m.to),
    ).toEqual([2]);
    expect(c.leader()?.id).toBe(2);
  });
});
