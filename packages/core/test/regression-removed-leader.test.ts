/**
 * Regression (liveness, found by the membership tests): a leader that applied its own removal
 * used to step down at once. With no voter fully up to date it sent no TimeoutNow and never
 * told the survivors that the removal committed; in a two-voter cluster the survivor then
 * needed the old leader's vote, which it refused (longer log): no leader, forever. Now the
 * removed leader keeps leading until a voter holds its whole log, then hands over.
 */
import { expect, it } from 'vitest';
import type { NodeId } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';

it('§4.2.2: after the leader removes itself from a two-voter cluster, the other voter becomes leader', () => {
  const c = new TestCluster([1, 2], { electionTick: 5 });
  const leader = c.elect();
  const f = c.ids.find((id) => id !== leader.id) as NodeId;
  c.propose('a');
  expect(c.runUntil(() => c.caughtUp())).toBe(true);

  c.step(leader.id, { type: 'change-membership', changes: [{ type: 'remove', id: leader.id }] }); // index 2
  c.step(leader.id, { type: 'propose', command: bytes('x') }); // index 3
  // The append that carries index 3 is lost; the one with the removal arrives and is acked.
  c.queue = c.queue.filter((m) => !(m.type === 'append-entries' && m.entries.some((e) => e.index === 3)));
  c.deliverAll();
  // The survivor becomes leader with the removed leader's whole log, and the old leader
  // stops leading and never campaigns.
  expect(c.runUntil(() => c.node(f).isLeader(), 300)).toBe(true);
  expect(leader.isLeader()).toBe(false);
  expect(c.node(f).membership().voters).toEqual([f]);
  c.runUntil(() => c.commands(f).includes('x'), 50);
  expect(c.commands(f)).toEqual(['a', 'x']);
  c.tick(leader.id, 100);
  expect(c.queue.some((m) => m.type === 'request-vote' && m.from === leader.id)).toBe(false);
});
