/**
 * Regression (issue 11, unsafe by silence): a leadership transfer whose target left the
 * membership stayed pending until it timed out (an election timeout), refusing every
 * proposal and membership change meanwhile (TRANSFER_IN_PROGRESS) for a target that can no
 * longer be elected.
 *
 * Correct: the transfer is aborted at once, in the step where the target leaves the
 * membership in force. A change cannot be requested during a transfer, so the target leaves
 * through joint consensus: the transfer starts while the joint configuration (where the
 * target is an outgoing voter) is uncommitted, and the leader's own entry that leaves the
 * joint configuration drops the target.
 */
import { expect, it } from 'vitest';
import { bytes, TestCluster } from './helpers/cluster.js';
import { cutBoth, leadAndCommit, tryStep } from './helpers/regression.js';

it('§3.10: a transfer to a node that leaves the membership is aborted in the same step', () => {
  // init: {1,2,3} and a new node 4; node 1 leads term 1 and `a` is committed on 1, 2, 3.
  const c = new TestCluster([1, 2, 3], { electionTick: 10 });
  c.addNode(4);
  leadAndCommit(c, { heartbeat: false });
  // Node 3 is cut off from the leader from now on, so it never catches up (and the transfer
  // to it cannot finish by itself).
  cutBoth(c, 1, 3);

  // init: replace 3 by 4: the joint entry (voters {1,2,4}, outgoing {1,2,3}) at index 2.
  c.step(1, {
    type: 'change-membership',
    changes: [
      { type: 'add-voter', id: 4 },
      { type: 'remove', id: 3 },
    ],
  });
  expect(c.node(1).membership().outgoingVoters).toEqual([1, 2, 3]);

  // init: a transfer to node 3, still an (outgoing) voter. A core may refuse a transfer while
  // a membership change is pending; then there is nothing to abort.
  const transfer = tryStep(c, 1, { type: 'transfer-leadership', to: 3 });
  if (transfer.error) {
    expect(['MEMBERSHIP_CHANGE_PENDING', 'INVALID_ARGUMENT']).toContain(transfer.error.code);
    return;
  }
  expect(c.node(1).status().leadTransferee).toBe(3);

  // act: node 2 acknowledges the joint entry: it commits ({1,2} is a majority of both
  // halves), and node 1 appends the entry that leaves the joint configuration, {1,2,4}.
  // Node 3 is no longer a member.
  c.deliverWhere((m) => m.from !== 4 && m.to !== 4);
  expect(c.node(1).membership()).toEqual({ voters: [1, 2, 4], learners: [], outgoingVoters: [] });

  // check: the transfer is over (observed with the bug: leadTransferee stays 3 and proposals
  // throw TRANSFER_IN_PROGRESS until the transfer times out).
  expect(c.node(1).isLeader()).toBe(true);
  expect(c.node(1).status().leadTransferee, 'transfer target after it left the membership').toBeNull();
  expect(tryStep(c, 1, { type: 'propose', command: bytes('x') }).error).toBeUndefined();
  expect(c.sentBy(1).filter((m) => m.type === 'timeout-now')).toEqual([]);
});
