/**
 * Regression (issue 11, unsafe by silence): a removed voter never learned it was removed.
 * The leader stopped replicating to a member the moment the entry removing it was appended,
 * so the removed node never received that entry: it kept its old membership, timed out and
 * campaigned forever (its pre-votes ignored, or, with pre-vote off, its terms disrupting the
 * cluster), and its driver had nothing to tell the operator.
 *
 * Correct: the removed voter receives the log up to and including its own removal, learns it
 * was removed (status and an action the driver can surface), and stops campaigning.
 * Assumed API shape (not settled by the issue): an action `{ type: 'removed' }` and
 * `status().removed === true`.
 */
import { expect, it } from 'vitest';
import { TestCluster } from './helpers/cluster.js';
import { leadAndCommit, removalReport } from './helpers/regression.js';

it('§4.2.2: a removed voter receives its removal, reports it and stops campaigning', () => {
  // init: {1,2,3}; node 1 leads term 1 and `a` (index 1) is committed on all.
  const c = new TestCluster([1, 2, 3], { electionTick: 10 });
  leadAndCommit(c, { heartbeat: false });
  expect(c.node(3).commitIndex()).toBe(1);

  // act: node 1 removes node 3 (index 2, {1,2}); time passes, everything is delivered.
  c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 3 }] });
  const holdsRemoval = () => c.logs.get(3)!.lastIndex() >= 2;
  c.runUntil(() => c.node(1).commitIndex() >= 2 && holdsRemoval(), 30);

  // check: node 3 holds its own removal (observed with the bug: its log ends at index 1, as
  // the leader never sent it index 2) and uses {1,2}.
  expect(holdsRemoval(), 'node 3 received the entry that removes it').toBe(true);
  expect(c.logs.get(3)!.entries(2, 3)[0]!.type).toBe('membership');
  expect(c.node(3).membership().voters).toEqual([1, 2]);
  const sentBeforeLearning = c.sentBy(3).length;

  // act: time passes: ten election timeouts.
  c.runUntil(() => false, 100);

  // check: node 3 reported its removal, both ways, and has not campaigned since it learned
  // it; the cluster {1,2} is undisturbed.
  expect(removalReport(c, 3)).toEqual({ action: true, status: true });
  const campaigns = c
    .sentBy(3)
    .slice(sentBeforeLearning)
    .filter((m) => m.type === 'request-vote');
  expect(campaigns).toEqual([]);
  expect(c.node(3).role()).toBe('follower');
  expect(c.node(1).isLeader()).toBe(true);
  expect(c.node(1).term()).toBe(1);
});
