/**
 * Regression (found by the §4 membership property test during a mutation run, issue 20): a
 * node that joined with no voters of its own and received the log from its start could take
 * a snapshot at an index before the entry that added it. It does not know the membership in
 * force there (a cluster's first membership is configuration, not a log entry), so the
 * snapshot carried no voters. Led by that node, a follower that needed the snapshot dropped
 * every chunk as malformed and kept answering heartbeats, so the leader never gave the
 * transfer up: the follower stayed behind for good (seen: after healing, node 1 at index 0
 * while nodes 2-4 had committed 8 entries).
 *
 * Correct: a node takes no snapshot at an index whose membership it does not know; it can
 * from the entry that added it on.
 */
import { expect, it } from 'vitest';
import { bytes, TestCluster } from './helpers/cluster.js';

it('a joined node takes no snapshot below the entry that added it, and one with the membership from there on', () => {
  // init: {1,2,3} commits a command, then adds node 4 (started with no voters), which
  // receives the whole log from index 1 and applies it.
  const c = new TestCluster([1, 2, 3], { electionTick: 5 });
  c.addNode(4, []);
  const leader = c.elect();
  c.propose('a');
  expect(c.runUntil(() => c.caughtUp([1, 2, 3]))).toBe(true);
  c.step(leader.id, { type: 'change-membership', changes: [{ type: 'add-voter', id: 4 }] });
  const added = leader.lastIndex();
  expect(c.runUntil(() => c.caughtUp([1, 2, 3, 4]) && c.node(4).appliedIndex() === added)).toBe(true);
  expect(c.logs.get(4)!.firstIndex()).toBe(1);

  // act: node 4 is asked for a snapshot below the entry that added it.
  c.step(4, { type: 'snapshot', index: added - 1, data: bytes('early') });
  // check: not taken (observed with the bug: a snapshot whose membership had no voters).
  expect(c.logs.get(4)!.snapshotMetadata()).toBeNull();

  // At the entry that added it, the snapshot carries the membership that lists it.
  c.step(4, { type: 'snapshot', index: added, data: bytes('at-add') });
  expect(c.logs.get(4)!.snapshotMetadata()).toMatchObject({
    index: added,
    membership: { voters: [1, 2, 3, 4], learners: [], outgoingVoters: [] },
  });
});
