/**
 * Proposal forwarding over the Raft transport (issue 13): a follower's proposal goes to the
 * leader as a driver message, and comes back with the result and the index once the
 * follower has applied it too. The leader answers errors by code. A peer that plays the
 * attacker with the project's own transport and codec gets typed refusals, and the cluster
 * is unharmed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTcpTransport,
  type DriverMessage,
  encodeCommandEntry,
  ForwardToLeaderError,
  ProposalError,
  type TcpTransport,
} from '../src/index.js';
import { until } from './helpers/cluster.js';
import { setCommand } from './helpers/kv-machine.js';
import { TcpCluster } from './helpers/tcp-cluster.js';

let cluster: TcpCluster | undefined;
let attacker: TcpTransport | undefined;
afterEach(async () => {
  await attacker?.close();
  attacker = undefined;
  await cluster?.close();
  cluster = undefined;
});

describe('proposal forwarding', () => {
  it('a follower forwards to the leader and resolves with the result and index, once applied locally', async () => {
    // Init
    cluster = await TcpCluster.start([1, 2, 3]);
    const leader = await cluster.leader();
    const follower = cluster.servers().find((s) => s !== leader)!;
    await leader.propose(setCommand('x', 'old'));
    // Act
    const { result, index, duplicate } = await follower.proposeWithIndex(setCommand('x', 'new'));
    // Check: the state machine's result (the previous value), where it committed, and the
    // follower's own state includes it already.
    expect(result).toBe('old');
    expect(duplicate).toBe(false);
    expect(follower.appliedIndex()).toBeGreaterThanOrEqual(index);
    expect(cluster.node(follower.id).sm.data.get('x')).toBe('new');
    expect(follower.stats().proposalsForwarded).toBe(1);
    expect(leader.stats().forwardedProposalsServed).toBe(1);
  });

  it('the state machine throwing on the leader reaches the follower as ProposalError APPLY_FAILED', async () => {
    cluster = await TcpCluster.start([1, 2, 3]);
    const leader = await cluster.leader();
    const follower = cluster.servers().find((s) => s !== leader)!;
    const error = await follower.propose(setCommand('boom', 'x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProposalError);
    expect(error).toMatchObject({ code: 'APPLY_FAILED', errorName: 'Error', nodeId: leader.id });
    expect((error as Error).message).toMatch(/boom at \d+/);
  });

  it('with forwarding off, a follower rejects with ForwardToLeaderError naming the leader', async () => {
    cluster = await TcpCluster.start([1, 2, 3], 3, () => ({ forwarding: false }));
    const leader = await cluster.leader();
    const follower = cluster.servers().find((s) => s !== leader)!;
    const error = await follower.propose(setCommand('x', '1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForwardToLeaderError);
    expect(error).toMatchObject({ leader: leader.id, leaderAddress: cluster.address(leader.id) });
  });

  it('proposals made on a follower while leadership moves all commit, none fails', async () => {
    // Init
    cluster = await TcpCluster.start([1, 2, 3]);
    const leader = await cluster.leader();
    const [a, b] = cluster.servers().filter((s) => s !== leader) as [typeof leader, typeof leader];
    // Act: a stream of proposals on follower `a` while leadership moves to `b` (refusals of
    // the transfer window and of the old leader come back as NOT_LEADER / TRANSFER_IN_PROGRESS,
    // which are retried).
    const proposals = Array.from({ length: 40 }, (_, i) => a.proposeWithIndex(setCommand(`k${i}`, 'v')));
    await leader.transferLeadership(b.id);
    const results = await Promise.all(proposals);
    // Check
    expect(new Set(results.map((r) => r.index)).size).toBe(40);
    for (let i = 0; i < 40; i++) expect(cluster.node(a.id).sm.data.get(`k${i}`)).toBe('v');
  });

  it('a peer that plays the attacker gets typed refusals and changes nothing', async () => {
    // Init: node 9 holds the cluster's credentials (loopback, no secret) and an address.
    cluster = await TcpCluster.start([1, 2, 3]);
    const leader = await cluster.leader();
    const follower = cluster.servers().find((s) => s !== leader)!;
    attacker = createTcpTransport({
      id: 9,
      clusterId: 7,
      listen: { host: '127.0.0.1', port: 0 },
      peers: {
        [leader.id]: { host: '127.0.0.1', port: Number(cluster.address(leader.id).split(':')[1]) },
        [follower.id]: { host: '127.0.0.1', port: Number(cluster.address(follower.id).split(':')[1]) },
      },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const answers: DriverMessage[] = [];
    attacker.onDriverMessage((m) => answers.push(m));
    await attacker.start(() => {});
    for (const s of [leader, follower]) s.setPeerAddress(9, attacker.address()!);
    await until('the attacker is connected', () => attacker!.stats().peers.every((p) => p.connected));
    const before = leader.status().lastIndex;
    // Act: a command envelope that does not decode; a forward to a follower; an answer nobody asked for.
    const malformed = Uint8Array.of(0, 0x52, 0x49, 0x4f, 7);
    attacker.sendDriver({
      type: 'forward-proposal',
      from: 9,
      to: leader.id,
      id: 1,
      command: malformed,
      timeoutMs: 1000,
    });
    attacker.sendDriver({
      type: 'forward-proposal',
      from: 9,
      to: follower.id,
      id: 2,
      command: setCommand('y', '1'),
      timeoutMs: 1000,
    });
    attacker.sendDriver({
      type: 'forward-result',
      from: 9,
      to: follower.id,
      id: 1,
      index: 1,
      term: 1,
      result: new Uint8Array(0),
      duplicate: false,
    });
    await until('two answers', () => answers.length >= 2);
    // Check: typed refusals, nothing appended, the cluster still writes.
    const byId = new Map(answers.map((m) => [m.id, m]));
    expect(byId.get(1)).toMatchObject({ type: 'forward-error', code: 'INVALID_ARGUMENT' });
    expect(byId.get(2)).toMatchObject({ type: 'forward-error', code: 'NOT_LEADER', leader: leader.id });
    expect(leader.status().lastIndex).toBe(before);
    await follower.propose(setCommand('z', '1'));
    // A well-formed forward from an authenticated peer is served like any proposal.
    attacker.sendDriver({
      type: 'forward-proposal',
      from: 9,
      to: leader.id,
      id: 3,
      command: encodeCommandEntry(setCommand('w', '1')),
      timeoutMs: 5000,
    });
    await until('the third answer', () => answers.some((m) => m.id === 3));
    expect(answers.find((m) => m.id === 3)).toMatchObject({ type: 'forward-result' });
  });
});
