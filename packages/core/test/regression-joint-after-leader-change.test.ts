/**
 * Regression (liveness, found by the membership tests): a leader elected after it already applied a joint configuration never
 * appends the entry that leaves it. The cluster stays joint forever and every later
 * change-membership throws MembershipChangePendingError.
 */
import { expect, it } from 'vitest';
import { TestCluster } from './helpers/cluster.js';

it('§4.3: a new leader that finds the joint configuration applied leaves it by itself', () => {
  const c = new TestCluster([1, 2, 3], { electionTick: 5 });
  const l = c.elect();
  c.addNode(4);
  c.addNode(5);
  c.propose('a');
  expect(c.runUntil(() => c.caughtUp([1, 2, 3]))).toBe(true);
  c.step(l.id, {
    type: 'change-membership',
    changes: [
      { type: 'add-voter', id: 4 },
      { type: 'add-voter', id: 5 },
    ],
  });
  const joint = l.lastIndex();
  // Everything is delivered except the entry that leaves the joint configuration; followers
  // learn the joint entry committed from heartbeats and apply it.
  const dropLeave = () => {
    c.queue = c.queue.filter((m) => !(m.type === 'append-entries' && m.entries.some((e) => e.index > joint)));
  };
  for (let r = 0; r < 20; r++) {
    c.tick(l.id);
    for (let i = 0; i < 1000 && c.queue.length > 0; i++) {
      dropLeave();
      c.deliverAt(0);
    }
  }
  for (const id of c.ids.filter((id) => id !== l.id && id <= 3))
    expect(c.node(id).membership().outgoingVoters).toEqual([1, 2, 3]);
  c.crash(l.id);
  c.queue = [];
  expect(c.runUntil(() => c.leader() !== undefined && c.leader()!.id !== l.id)).toBe(true);
  c.runUntil(() => false, 100);
  // Observed: still {voters:[1..5], outgoingVoters:[1,2,3]} and the next change throws.
  expect(c.leader()!.membership().outgoingVoters).toEqual([]);
  expect(() =>
    c.step(c.leader()!.id, { type: 'change-membership', changes: [{ type: 'remove', id: 5 }] }),
  ).not.toThrow();
});
