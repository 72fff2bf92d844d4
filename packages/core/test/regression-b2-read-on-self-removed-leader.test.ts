/**
 * Regression B2 (issue 11, linearizability): a ReadIndex stale read on a leader that removed
 * itself. The shortcut "a membership with one voter needs no heartbeat round" did not check
 * that the one voter is this node. In {1,2}, leader 1 appends its own removal; the membership
 * in force on node 1 is then {2}, a single voter that is not node 1, and node 1 answered
 * reads at once from its own commit index, while node 2 had already been elected in term 2
 * and committed x=1.
 *
 * Correct: a read on node 1 may get `read-failed`, or no answer until node 1 hears of term 2
 * (then `read-failed`); never `read-ready` with an index below node 2's commit.
 */
import { expect, it } from 'vitest';
import { bytes, TestCluster } from './helpers/cluster.js';
import { highestCommit, leadAndCommit, readAnswers, tryStep } from './helpers/regression.js';

it('§6.4: a leader whose membership in force leaves it out does not answer a read from its own commit index', () => {
  // init: {1,2}; node 1 leads term 1 and commits `a` (index 1) on both nodes.
  const c = new TestCluster([1, 2]);
  leadAndCommit(c);
  expect([c.node(1).commitIndex(), c.node(2).commitIndex()]).toEqual([1, 1]);

  // init: leader 1 removes itself (index 2, {2}; allowed in term 1). The append carrying it
  // reaches node 2; node 2's answer is lost and the link between them goes down. Node 1
  // keeps leading term 1 with {2} in force and its commit index still at 1.
  c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 1 }] });
  c.deliverWhere((m) => m.from === 1 && m.type === 'append-entries');
  c.queue = [];
  c.partition([1], [2]);
  expect(c.node(2).membership().voters).toEqual([2]);
  expect(c.node(1).isLeader()).toBe(true);
  expect(c.node(1).commitIndex()).toBe(1);

  // init: node 2, the only voter of its membership, elects itself in term 2 and commits x=1.
  c.step(2, { type: 'campaign' });
  expect(c.node(2).isLeader()).toBe(true);
  expect(c.node(2).term()).toBe(2);
  c.step(2, { type: 'propose', command: bytes('x=1') });
  expect(c.commands(2)).toContain('x=1');
  const newest = highestCommit(c);
  expect(newest.id).toBe(2);

  // act: a read on node 1 (a client that still takes it for the leader), and time passes on
  // node 1 while it is cut off.
  tryStep(c, 1, { type: 'read', id: 'r' });
  for (let t = 0; t < 30; t++) {
    c.tick(1);
    c.deliverAll();
  }

  // check: no `read-ready` below node 2's commit (observed with the bug: read-ready at
  // index 1 at once, while node 2 had committed x=1 at index 4, after its term-2 empty entry).
  const stale = readAnswers(c, 1, 'r').filter((a) => a.type === 'read-ready' && a.index < newest.index);
  expect(stale, `node 2 committed index ${newest.index} before the read started`).toEqual([]);

  // act: the link comes back; node 1 hears of term 2 (it sends node 2 a heartbeat, which is
  // answered with term 2).
  c.heal();
  for (let t = 0; t < 5; t++) {
    c.tick(1);
    c.deliverAll();
  }

  // check: node 1 is no longer leader and the read failed (the client retries elsewhere).
  expect(c.node(1).term()).toBe(2);
  expect(c.node(1).isLeader()).toBe(false);
  expect(readAnswers(c, 1, 'r').map((a) => a.type)).toEqual(['read-failed']);
});
