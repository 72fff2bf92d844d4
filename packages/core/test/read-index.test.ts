/**
 * Linearizable reads (dissertation §6.4): ReadIndex on the leader and through a follower,
 * the wait for a committed entry of the leader's term, failure on leadership loss, and the
 * opt-in lease read.
 */
import { describe, expect, it } from 'vitest';
import { type Action, MemoryLog, NotLeaderError, RaftNode } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';

const readyIds = (actions: Action[]) => actions.flatMap((a) => (a.type === 'read-ready' ? [a.id] : []));

function settled(options = {}) {
  const c = new TestCluster([1, 2, 3], options);
  const leader = c.elect();
  c.propose('x=1');
  c.deliverAll();
  c.tickAll();
  c.deliverAll();
  return { c, leader };
}

describe('§6.4 ReadIndex', () => {
  it('a leader read is released only after a heartbeat round with a majority, at the commit index', () => {
    const { c, leader } = settled();
    const before = c.actions.get(leader.id)!.length;
    const actions = c.step(leader.id, { type: 'read', id: 'r1' });
    // init/act: the read is not ready before anyone answers
    expect(readyIds(actions)).toEqual([]);
    const heartbeats = c.queue.filter((m) => m.type === 'heartbeat' && m.from === leader.id);
    expect(heartbeats.length).toBe(2);
    // check: one answer makes a majority with the leader
    const first = c.queue.findIndex((m) => m.type === 'heartbeat');
    c.deliverAt(first);
    const response = c.queue.findIndex((m) => m.type === 'heartbeat-response');
    c.deliverAt(response);
    const all = c.actions.get(leader.id)!.slice(before);
    expect(all).toContainEqual({ type: 'read-ready', id: 'r1', index: leader.commitIndex() });
  });

  it('a leader cut off from the majority never confirms a read', () => {
    const { c, leader } = settled();
    c.isolate(leader.id);
    const before = c.actions.get(leader.id)!.length;
    c.step(leader.id, { type: 'read', id: 'r1' });
    c.deliverAll();
    c.tick(leader.id, 3);
    c.deliverAll();
    expect(readyIds(c.actions.get(leader.id)!.slice(before))).toEqual([]);
  });

  it('each step that registers reads opens one heartbeat round, and every read is released', () => {
    const { c, leader } = settled();
    c.queue = [];
    const node = c.node(leader.id);
    c.step(leader.id, { type: 'read', id: 'a' });
    const afterOne = c.queue.length;
    c.step(leader.id, { type: 'read', id: 'b' });
    expect(c.queue.length).toBe(afterOne * 2);
    c.deliverAll();
    const ready = readyIds(c.actions.get(node.id)!);
    expect(ready).toEqual(expect.arrayContaining(['a', 'b']));
  });

  it('a follower read goes through the leader and is released once the follower has applied the read index', () => {
    const { c, leader } = settled();
    const follower = c.ids.find((id) => id !== leader.id)!;
    c.step(follower, { type: 'read', id: 'f1' });
    expect(c.queue.some((m) => m.type === 'read-index' && m.to === leader.id)).toBe(true);
    c.deliverAll();
    const ready = c.actions.get(follower)!.filter((a) => a.type === 'read-ready');
    expect(ready).toEqual([{ type: 'read-ready', id: 'f1', index: leader.commitIndex() }]);
    expect(c.node(follower).appliedIndex()).toBeGreaterThanOrEqual(leader.commitIndex());
  });

  it('a follower that knows no leader refuses the read with NotLeaderError', () => {
    const c = new TestCluster([1, 2, 3]);
    expect(() => c.step(1, { type: 'read', id: 'r' })).toThrow(NotLeaderError);
  });

  it('a new leader holds reads until it commits an entry of its term', () => {
    // init: node 1 holds an uncommitted entry of term 1 and wins the election of term 2
    const log = new MemoryLog();
    log.write({
      hardState: { term: 1, vote: null, commit: 0 },
      entries: [{ index: 1, term: 1, type: 'command', data: bytes('a') }],
    });
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false }, log);
    node.step({ type: 'campaign' });
    node.step({
      type: 'message',
      message: { type: 'request-vote-response', from: 2, to: 1, term: 2, preVote: false, granted: true },
    });
    expect(node.isLeader()).toBe(true);
    expect(node.lastIndex()).toBe(2); // the empty entry of term 2
    // act: a read before the empty entry commits starts no heartbeat round
    const early = node.step({ type: 'read', id: 'early' });
    expect(early.some((a) => a.type === 'send' && a.message.type === 'heartbeat')).toBe(false);
    // the empty entry commits: the read starts its round, at the new commit index
    const commit = node.step({
      type: 'message',
      message: {
        type: 'append-entries-response',
        from: 2,
        to: 1,
        term: 2,
        success: true,
        index: 2,
        hintIndex: 0,
        hintTerm: 0,
      },
    });
    expect(node.commitIndex()).toBe(2);
    const heartbeat = commit.find((a) => a.type === 'send' && a.message.type === 'heartbeat' && a.to === 2);
    expect(heartbeat).toBeDefined();
    const context =
      heartbeat!.type === 'send' && heartbeat!.message.type === 'heartbeat' ? heartbeat!.message.context : -1;
    const released = node.step({
      type: 'message',
      message: { type: 'heartbeat-response', from: 2, to: 1, term: 2, context },
    });
    expect(released).toContainEqual({ type: 'read-ready', id: 'early', index: 2 });
  });

  it('reads pending on a leader that steps down fail with LEADERSHIP_LOST', () => {
    const { c, leader } = settled();
    c.isolate(leader.id);
    c.step(leader.id, { type: 'read', id: 'doomed' });
    c.tick(leader.id, 25);
    const failed = c.actions.get(leader.id)!.filter((a) => a.type === 'read-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      id: 'doomed',
      error: { code: 'LEADERSHIP_LOST', message: 'leadership lost before the read was confirmed' },
    });
  });

  it('lease read (opt-in): the leader answers at once from its commit index', () => {
    const { c, leader } = settled({ leaseRead: true });
    const actions = c.step(leader.id, { type: 'read', id: 'lease' });
    expect(actions).toContainEqual({ type: 'read-ready', id: 'lease', index: leader.commitIndex() });
  });

  it('a single-voter cluster serves reads at once', () => {
    const c = new TestCluster([1]);
    const leader = c.elect();
    const actions = c.step(leader.id, { type: 'read', id: 'solo' });
    expect(actions).toContainEqual({ type: 'read-ready', id: 'solo', index: 0 });
  });
});
