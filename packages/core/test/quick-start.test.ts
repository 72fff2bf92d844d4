/**
 * DESIGN.md's quick start, as a test: a single voter elects itself, commits and applies its
 * first proposal at index 1; a plain-object config works for a multi-node member.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLog, RaftConfig, RaftNode } from '../src/index.js';

describe('quick start', () => {
  it('a single node elects itself, then commits and applies the first proposal at index 1', () => {
    const node = new RaftNode(RaftConfig.single(1));
    let ticks = 0;
    while (!node.isLeader() && ticks < 100) {
      node.step({ type: 'tick' });
      ticks++;
    }
    expect(node.isLeader()).toBe(true);
    expect(node.leader()).toBe(1);
    expect(node.term()).toBe(1);
    // The election timeout is drawn from [electionTick, 2 * electionTick).
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(ticks).toBeLessThan(20);

    const command = new TextEncoder().encode('set x 1');
    const actions = node.step({ type: 'propose', command });
    expect(actions).toContainEqual({
      type: 'accepted',
      kind: 'commands',
      term: 1,
      firstIndex: 1,
      lastIndex: 1,
    });
    expect(actions).toContainEqual({ type: 'apply', index: 1, term: 1, command });
    expect(node.commitIndex()).toBe(1);
  });

  it('accepts a plain-object config and an explicit MemoryLog', () => {
    const peer = new RaftNode({ id: 2, voters: [1, 2, 3] }, new MemoryLog());
    expect(peer.id).toBe(2);
    expect(peer.isLeader()).toBe(false);
    expect(peer.leader()).toBeNull();
    expect(peer.term()).toBe(0);
    expect(peer.commitIndex()).toBe(0);
    expect(peer.step({ type: 'tick' })).toEqual([]);
  });
});
