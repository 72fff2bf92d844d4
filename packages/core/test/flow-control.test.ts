/**
 * Batching and flow control (etcd's tracker/progress.go and inflights.go): many commands in
 * one append, a byte limit per message, a bounded in-flight window per follower, probe vs
 * replicate states, and the bound on uncommitted bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  type AppendEntriesMessage,
  type Event,
  MemoryLog,
  RaftNode,
  UncommittedLimitError,
} from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';

function leaderWithFollowers(options = {}) {
  const c = new TestCluster([1, 2, 3], options);
  const leader = c.elect();
  c.tickAll();
  c.deliverAll();
  return { c, leader };
}

const appendsTo = (c: TestCluster, to: number) =>
  c.queue.filter((m): m is AppendEntriesMessage => m.type === 'append-entries' && m.to === to);

describe('batching and flow control', () => {
  it('a batched propose appends all commands at consecutive indexes in one message per follower', () => {
    const { c, leader } = leaderWithFollowers();
    c.queue = [];
    const commands = Array.from({ length: 50 }, (_, i) => bytes(`cmd-${i}`));
    const actions = c.step(leader.id, { type: 'propose', commands });
    expect(actions).toContainEqual({
      type: 'accepted',
      kind: 'commands',
      term: leader.term(),
      firstIndex: 1,
      lastIndex: 50,
    });
    for (const id of c.ids.filter((x) => x !== leader.id)) {
      const appends = appendsTo(c, id);
      expect(appends).toHaveLength(1);
      expect(appends[0]!.entries.map((e) => e.index)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
    c.deliverAll();
    expect(c.commands(leader.id)).toHaveLength(50);
  });

  it('maxSizePerMsg splits a large backlog into several appends (at least one entry each)', () => {
    const { c, leader } = leaderWithFollowers({ maxSizePerMsg: 100 });
    c.queue = [];
    const commands = Array.from({ length: 10 }, () => new Uint8Array(40));
    c.step(leader.id, { type: 'propose', commands });
    const follower = c.ids.find((x) => x !== leader.id)!;
    const appends = appendsTo(c, follower);
    for (const m of appends) {
      const size = m.entries.reduce((n, e) => n + e.data.length, 0);
      expect(m.entries.length === 1 || size <= 100).toBe(true);
    }
    expect(appends.flatMap((m) => m.entries.map((e) => e.index))).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
  });

  it('in replicate state, at most maxInflightMsgs appends are unacknowledged per follower', () => {
    const { c, leader } = leaderWithFollowers({ maxInflightMsgs: 3 });
    c.queue = [];
    const follower = c.ids.find((x) => x !== leader.id)!;
    for (let i = 0; i < 10; i++) c.step(leader.id, { type: 'propose', command: bytes(`p${i}`) });
    expect(appendsTo(c, follower).filter((m) => m.entries.length > 0)).toHaveLength(3);
    // Acknowledging frees the window; everything arrives in the end.
    c.deliverAll();
    c.tickAll();
    c.deliverAll();
    expect(c.commands(follower)).toHaveLength(10);
  });

  it('maxInflightBytes bounds the bytes in flight', () => {
    const { c, leader } = leaderWithFollowers({ maxInflightBytes: 250 });
    c.queue = [];
    const follower = c.ids.find((x) => x !== leader.id)!;
    for (let i = 0; i < 10; i++) c.step(leader.id, { type: 'propose', command: new Uint8Array(100) });
    const inFlight = appendsTo(c, follower).reduce(
      (n, m) => n + m.entries.reduce((k, e) => k + e.data.length, 0),
      0,
    );
    expect(inFlight).toBeLessThanOrEqual(300); // the window closes once 250 bytes are out
    expect(inFlight).toBeGreaterThanOrEqual(200);
  });

  it('a probing follower gets one append at a time until it answers', () => {
    const c = new TestCluster([1, 2, 3]);
    // init: node 3 is cut off while 1 or 2 is elected, so the leader's first probe is lost
    const follower = 3;
    c.isolate(follower);
    const leader = c.elect();
    c.propose('a');
    c.deliverAll();
    c.heal();
    c.queue = [];
    // The follower's progress is still probing: more proposals send nothing new to it.
    expect(leader.status().progress![follower]!.state).toBe('probe');
    c.propose('b');
    c.propose('c');
    expect(appendsTo(c, follower)).toHaveLength(0);
    // A heartbeat answer resumes the probe; then it replicates.
    c.tickAll();
    c.deliverAll();
    expect(leader.status().progress![follower]!.state).toBe('replicate');
    expect(c.commands(follower)).toEqual(['a', 'b', 'c']);
  });

  it('proposals beyond maxUncommittedEntriesSize fail with UNCOMMITTED_LIMIT and succeed after commit', () => {
    const { c, leader } = leaderWithFollowers({ maxUncommittedEntriesSize: 100 });
    const others = c.ids.filter((x) => x !== leader.id);
    for (const id of others) c.isolate(id);
    c.step(leader.id, { type: 'propose', command: new Uint8Array(80) });
    expect(() => c.step(leader.id, { type: 'propose', command: new Uint8Array(30) })).toThrow(
      UncommittedLimitError,
    );
    // A single oversized proposal is allowed when nothing is uncommitted, so no proposal is stuck forever.
    c.heal();
    c.tickAll();
    c.deliverAll();
    expect(() => c.step(leader.id, { type: 'propose', command: new Uint8Array(500) })).not.toThrow();
    // The error names the limit and the size the proposal would have made.
    let caught: unknown;
    try {
      c.step(leader.id, { type: 'propose', command: new Uint8Array(7) });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UncommittedLimitError);
    expect((caught as Error).message).toContain('507');
  });

  it('maxUncommittedEntriesSize 0 means no limit', () => {
    const { c, leader } = leaderWithFollowers({ maxUncommittedEntriesSize: 0 });
    for (const id of c.ids.filter((x) => x !== leader.id)) c.isolate(id);
    for (let i = 0; i < 3; i++) {
      expect(() => c.step(leader.id, { type: 'propose', command: new Uint8Array(1000) })).not.toThrow();
    }
  });

  it('maxApplyBytesPerStep spreads a long committed tail over several steps, in order', () => {
    const log = new MemoryLog();
    const entries = Array.from({ length: 100 }, (_, i) => ({
      index: i + 1,
      term: 1,
      type: 'command' as const,
      data: new Uint8Array(10),
    }));
    log.write({ hardState: { term: 1, vote: null, commit: 100 }, entries });
    const node = new RaftNode(
      { id: 1, voters: [1, 2, 3], maxApplyBytesPerStep: 250, maxSizePerMsg: 50 },
      log,
    );
    const applied: number[] = [];
    let steps = 0;
    while (node.appliedIndex() < 100 && steps < 100) {
      for (const a of node.step({ type: 'advance' })) if (a.type === 'apply') applied.push(a.index);
      steps++;
    }
    expect(applied).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(steps).toBeGreaterThanOrEqual(4);
  });

  it('applyBudgetUntilAdvance: the budget spans steps until advance, so ticks in between hand out nothing', () => {
    // init: 100 committed entries of 10 bytes, a budget of 250 bytes that spans steps.
    const log = new MemoryLog();
    const entries = Array.from({ length: 100 }, (_, i) => ({
      index: i + 1,
      term: 1,
      type: 'command' as const,
      data: new Uint8Array(10),
    }));
    log.write({ hardState: { term: 1, vote: null, commit: 100 }, entries });
    const node = new RaftNode(
      {
        id: 1,
        voters: [1, 2, 3],
        maxApplyBytesPerStep: 250,
        maxSizePerMsg: 50,
        applyBudgetUntilAdvance: true,
      },
      log,
    );
    const applies = (events: Event[]) =>
      events.flatMap((e) => node.step(e)).filter((a) => a.type === 'apply').length;
    // act: one driver batch (advance first, then five ticks), then the next.
    const first = applies([{ type: 'advance' }, ...Array<Event>(5).fill({ type: 'tick' })]);
    const second = applies([{ type: 'advance' }, ...Array<Event>(5).fill({ type: 'tick' })]);
    // check: one budget per batch (25 entries); a budget per step hands out all 100 in the first.
    expect(first).toBe(25);
    expect(second).toBe(25);
    expect(node.appliedIndex()).toBe(50);
  });

  it('applyBudgetUntilAdvance: once nothing waits, the budget is whole again without advance', () => {
    // init: a lone voter, 10 bytes of apply budget, commands of 6 bytes.
    const node = new RaftNode({
      id: 1,
      voters: [1],
      maxApplyBytesPerStep: 10,
      applyBudgetUntilAdvance: true,
    });
    node.step({ type: 'campaign' });
    // act / check: each proposal alone is applied in its own step, three times over. (Were
    // the spent budget kept after the node caught up, the third would wait for advance.)
    for (const c of ['aaaaaa', 'bbbbbb', 'cccccc']) {
      const out = node.step({ type: 'propose', command: new TextEncoder().encode(c) });
      expect(out.filter((a) => a.type === 'apply')).toHaveLength(1);
    }
  });
});
