/**
 * Membership calls finish when their effect is real (issue 13): one at a time in the order
 * made, a joint change resolves once the joint configuration is left, a learner can be
 * waited for until it has caught up, `addVoter` is learner + catch-up + promotion, the calls
 * wait for a leader, and a removed node learns it. On real TCP and SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ForwardToLeaderError, type Membership, type NotLeaderError } from '../src/index.js';
import { until } from './helpers/cluster.js';
import { setCommand } from './helpers/kv-machine.js';
import { TcpCluster } from './helpers/tcp-cluster.js';

let cluster: TcpCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('membership calls', () => {
  it('a second change issued right after the first waits its turn instead of failing', async () => {
    // Init
    cluster = await TcpCluster.start([1, 2, 3], 5);
    const leader = await cluster.leader();
    await cluster.startNode(4, { joinVia: [1, 2, 3] });
    await cluster.startNode(5, { joinVia: [1, 2, 3] });
    // Act: three changes at once; the core takes one at a time.
    const done: string[] = [];
    await Promise.all([
      leader.addLearner(4, { address: cluster.address(4) }).then(() => done.push('learner 4')),
      leader.addLearner(5, { address: cluster.address(5) }).then(() => done.push('learner 5')),
      leader.addVoter(4).then(() => done.push('voter 4')),
    ]);
    // Check: all three applied, in the order made.
    expect(done).toEqual(['learner 4', 'learner 5', 'voter 4']);
    expect(leader.status().membership).toMatchObject({ voters: [1, 2, 3, 4], learners: [5] });
  });

  it('changeMembership resolves only once the joint configuration has been left', async () => {
    // Init
    cluster = await TcpCluster.start([1, 2, 3], 4);
    const leader = await cluster.leader();
    await cluster.startNode(4, { joinVia: [1, 2, 3] });
    const follower = [1, 2, 3].find((id) => id !== leader.id)!;
    const seen: Membership[] = [];
    leader.on('membership', (m) => seen.push(m));
    // Act: two voter changes at once go through joint consensus.
    await leader.changeMembership([
      { type: 'add-voter', id: 4, address: cluster.address(4) },
      { type: 'remove', id: follower },
    ]);
    // Check: the joint entry committed first, and the call returned after the final one.
    expect(seen.some((m) => m.outgoingVoters.length > 0)).toBe(true);
    expect(seen.at(-1)!.outgoingVoters).toEqual([]);
    expect(leader.status().membership.outgoingVoters).toEqual([]);
    expect(leader.status().membership.voters).toContain(4);
  });

  it('addLearner with catchUp resolves once the learner answered and is within catchUpLagEntries', async () => {
    // Init: a log of 300 entries; a lag bound of 10.
    cluster = await TcpCluster.start([1, 2, 3], 4, () => ({ catchUpLagEntries: 10 }));
    const leader = await cluster.leader();
    await Promise.all(Array.from({ length: 300 }, (_, i) => leader.propose(setCommand(`k${i}`, 'v'))));
    await cluster.startNode(4, { joinVia: [1, 2, 3] });
    // Act
    await leader.addLearner(4, { address: cluster.address(4), catchUp: true });
    // Check
    const pr = leader.status().progress![4]!;
    expect(pr.state).toBe('replicate');
    expect(leader.status().lastIndex - pr.match).toBeLessThanOrEqual(10);
  });

  it('addVoter adds a learner, waits for it to catch up, then promotes it', async () => {
    // Init
    cluster = await TcpCluster.start([1, 2, 3], 4);
    const leader = await cluster.leader();
    await Promise.all(Array.from({ length: 100 }, (_, i) => leader.propose(setCommand(`k${i}`, 'v'))));
    await cluster.startNode(4, { joinVia: [1, 2, 3] });
    const seen: Membership[] = [];
    leader.on('membership', (m) => seen.push(m));
    // Act
    await leader.addVoter(4, { address: cluster.address(4), metadata: 'http://n4' });
    // Check: learner first, voter after; the new voter is caught up.
    expect(
      seen.map((m) => (m.learners.includes(4) ? 'learner' : m.voters.includes(4) ? 'voter' : '-')),
    ).toEqual(['learner', 'voter']);
    expect(seen[1]!.info?.[4]).toEqual({ address: cluster.address(4), metadata: 'http://n4' });
    const pr = leader.status().progress![4]!;
    expect(leader.status().lastIndex - pr.match).toBeLessThanOrEqual(64);
  });

  it('membership calls wait out an election: the new leader takes them, others name it', async () => {
    // Init: a fresh cluster, calls made before any leader exists.
    cluster = await TcpCluster.start([1, 2, 3], 4);
    const results = cluster.servers().map((s) =>
      s.addLearner(4, { address: cluster!.address(4) }).then(
        () => 'ok',
        (error: unknown) => error,
      ),
    );
    // Act
    const outcomes = await Promise.all(results);
    // Check: one node led and took it; the others waited for the leader and named it.
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o !== 'ok')) {
      expect(o).toBeInstanceOf(ForwardToLeaderError);
      expect((o as NotLeaderError).leader).not.toBeNull();
    }
  });

  it('a removed node gets a removed event, reports it, and stops campaigning', async () => {
    // Init
    cluster = await TcpCluster.start([1, 2, 3]);
    const leader = await cluster.leader();
    const victim = cluster.server([1, 2, 3].find((id) => id !== leader.id)!);
    const removed = new Promise<number>((resolve) => victim.once('removed', resolve));
    // Act
    await leader.removeMember(victim.id);
    const index = await removed;
    // Check
    expect(index).toBeGreaterThan(0);
    await until('status says removed', () => victim.status().removed);
    const roles: string[] = [];
    victim.on('role', (role) => roles.push(role));
    await new Promise((r) => setTimeout(r, 50 * 20 * 2)); // two of the longest election timeouts
    expect(roles).toEqual([]);
    expect(victim.status().role).toBe('follower');
  });
});
