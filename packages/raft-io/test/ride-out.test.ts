/**
 * Calls ride out elections (issue 13): a proposal or read made while no leader is known waits
 * for one within its deadline instead of failing; a restarted node's first read works without
 * the caller knowing about `waitForLeader`; and a restarted member learns the leader at once
 * (the leader's link to it does not wait out its reconnect backoff).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TimeoutError } from '../src/index.js';
import { until } from './helpers/cluster.js';
import { setCommand } from './helpers/kv-machine.js';
import { TcpCluster } from './helpers/tcp-cluster.js';

let cluster: TcpCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('calls ride out elections', () => {
  it("a restarted cluster's first read and proposal work at once, before any leader is elected", async () => {
    // Init: a cluster with data, stopped.
    cluster = await TcpCluster.start([1, 2, 3]);
    await (await cluster.leader()).propose(setCommand('x', '1'));
    for (const id of [1, 2, 3]) await cluster.stop(id);
    // Act: restart and call at once, on every node.
    for (const id of [1, 2, 3]) await cluster.startNode(id);
    const calls = cluster.servers().map(async (s) => {
      const seen = await s.read(() => cluster!.node(s.id).sm.data.get('x'));
      await s.propose(setCommand(`y${s.id}`, '1'));
      return seen;
    });
    // Check
    expect(await Promise.all(calls)).toEqual(['1', '1', '1']);
  });

  it('a proposal on a follower while its leader is gone waits for the next leader', async () => {
    // Init
    cluster = await TcpCluster.start([1, 2, 3]);
    const leader = await cluster.leader();
    const follower = cluster.servers().find((s) => s !== leader)!;
    // Act: the leader stops; the follower is asked at once, long before an election ends.
    await cluster.stop(leader.id);
    const { index } = await follower.proposeWithIndex(setCommand('after', '1'));
    // Check
    expect(index).toBeGreaterThan(0);
    expect(cluster.node(follower.id).sm.data.get('after')).toBe('1');
  });

  it('waiting for a leader is bounded by the deadline', async () => {
    // Init: one node of three up: no leader can be elected.
    cluster = await TcpCluster.start([1, 2, 3]);
    for (const id of [2, 3]) await cluster.stop(id);
    const lonely = cluster.server(1);
    await until('no leader', () => lonely.leader() === null);
    // Act / check
    await expect(lonely.read(() => 0, { timeoutMs: 300 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(lonely.propose(setCommand('a', '1'), { timeoutMs: 300 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });

  it('a member restarted after a long outage learns the leader at once, not after the reconnect backoff', async () => {
    // Init: a reconnect backoff of 20 s. A follower stops until the leader's link to it has
    // failed and sleeps out that backoff.
    const backoff = { reconnect: { initialDelayMs: 20_000, maxDelayMs: 20_000 } };
    cluster = await TcpCluster.start([1, 2, 3], 3, () => ({ tcp: backoff }));
    const leader = await cluster.leader();
    const id = [1, 2, 3].find((i) => i !== leader.id)!;
    await cluster.stop(id);
    await leader.propose(setCommand('while-down', '1'));
    await new Promise((r) => setTimeout(r, 300));
    // Act: it restarts; it dials the leader, and the leader's link to it redials at once.
    const started = Date.now();
    const back = (await cluster.startNode(id)).server;
    // Check: it hears the leader well within the backoff (heartbeats every 50 ms).
    await until('the restarted node knows the leader', () => back.leader() === leader.id, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await back.read(() => cluster!.node(id).sm.data.get('while-down'))).toBe('1');
  });
});
