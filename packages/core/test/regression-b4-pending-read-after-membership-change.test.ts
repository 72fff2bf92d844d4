/**
 * Regression B4 (issue 11, liveness of reads): a pending read was never answered. ReadIndex
 * rounds were re-evaluated only when a heartbeat answer arrived. In {1,2}, a read registered
 * on leader 1 waits for node 2's answer to its heartbeat round; the heartbeat is lost, then
 * `remove 2` commits under {1}. From then on node 1 sends node 2 nothing, so no answer ever
 * comes: the read got neither `read-ready` nor `read-failed`, forever, while a later read was
 * served at once (the one-voter shortcut).
 *
 * Correct: rounds are re-evaluated whenever the membership or the quorum changes, so the
 * read is answered (`read-ready` at an index at least its read index, or `read-failed`)
 * within a bounded number of steps.
 */
import { expect, it } from 'vitest';
import { TestCluster } from './helpers/cluster.js';
import { leadAndCommit, readAnswers } from './helpers/regression.js';

it('§6.4: a read pending when the membership shrinks to the leader alone is still answered', () => {
  // init: {1,2}; node 1 leads term 1 and `a` (index 1) is committed on both.
  const c = new TestCluster([1, 2]);
  leadAndCommit(c);
  expect([c.node(1).commitIndex(), c.node(2).commitIndex()]).toEqual([1, 1]);

  // init: a read on node 1 at read index 1; the heartbeat of its round is lost.
  c.step(1, { type: 'read', id: 'r' });
  expect(c.queue.map((m) => `${m.type} ${m.from}->${m.to}`)).toEqual(['heartbeat 1->2']);
  c.queue = [];

  // act: node 1 removes node 2 (allowed in term 1). {1} is in force at once and commits the
  // removal by itself (index 2).
  c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 2 }] });
  expect(c.node(1).commitIndex()).toBe(2);
  expect(c.node(1).membership().voters).toEqual([1]);

  // act: time passes for two election timeouts; every message is delivered.
  for (let t = 0; t < 20; t++) {
    c.tickAll();
    c.deliverAll();
  }

  // check: the read has its answer (observed with the bug: none at all, while a second read
  // on node 1 gets read-ready at once). A read-ready carries at least the read index, 1.
  const answers = readAnswers(c, 1, 'r');
  expect(
    answers.map((a) => a.type),
    'the read pending at the removal is answered exactly once',
  ).toHaveLength(1);
  const [answer] = answers;
  if (answer?.type === 'read-ready') expect(answer.index).toBeGreaterThanOrEqual(1);
});
