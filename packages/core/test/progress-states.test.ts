/**
 * The leader's per-follower flow control (etcd's tracker/progress.go), asserted state by
 * state, not only by convergence (issue 20 found these transitions unpinned): probe with one
 * append in flight, replicate on the first success, back to probe on a rejection, the fast
 * back-off hint in both of its forms, and a full window resumed by a heartbeat answer.
 */
import { describe, expect, it } from 'vitest';
import { type AppendEntriesMessage, RaftNode } from '../src/index.js';
import { bytes } from './helpers/cluster.js';
import { appendResponse } from './helpers/messages.js';

/** Node 1 leads term 1 of {1,2}: elected by hand, so no message to node 2 is delivered. */
function leader(options: Partial<ConstructorParameters<typeof RaftNode>[0]> = {}): RaftNode {
  const node = new RaftNode({ id: 1, voters: [1, 2], preVote: false, ...options });
  node.step({ type: 'campaign' });
  node.step({
    type: 'message',
    message: { type: 'request-vote-response', from: 2, to: 1, term: 1, preVote: false, granted: true },
  });
  expect(node.isLeader()).toBe(true);
  return node;
}

const appends = (actions: ReturnType<RaftNode['step']>): AppendEntriesMessage[] =>
  actions.flatMap((a) => (a.type === 'send' && a.message.type === 'append-entries' ? [a.message] : []));

const progress = (node: RaftNode) => node.status().progress![2]!;

describe('progress: probe, replicate, back-off', () => {
  it('a new follower is probed with one append at a time; more proposals wait for its answer', () => {
    const node = leader();
    expect(progress(node)).toMatchObject({ state: 'probe', match: 0, next: 1, inflight: 0 });
    expect(appends(node.step({ type: 'propose', command: bytes('a') }))).toEqual([]);
    expect(appends(node.step({ type: 'propose', command: bytes('b') }))).toEqual([]);
    expect(progress(node).state).toBe('probe');
  });

  it('the probe answer at the known match point starts replication, and appends then stream (pipelining)', () => {
    const node = leader({ maxSizePerMsg: 1 });
    node.step({ type: 'propose', command: bytes('a') });
    node.step({ type: 'propose', command: bytes('b') });
    // The election's probe (prev 0) is answered with success at 0: the match point we knew.
    const out = node.step({ type: 'message', message: appendResponse({ index: 0 }) });
    expect(progress(node).state).toBe('replicate');
    // Both entries go out at once, one per message (maxSizePerMsg 1), without waiting.
    expect(appends(out).map((m) => m.entries.map((e) => e.index))).toEqual([[1], [2]]);
    expect(progress(node)).toMatchObject({ next: 3, inflight: 2 });
  });

  it('a rejection while replicating falls back to probe at the match point', () => {
    const node = leader();
    node.step({ type: 'propose', command: bytes('a') });
    node.step({ type: 'message', message: appendResponse({ index: 0 }) });
    node.step({ type: 'message', message: appendResponse({ index: 1 }) });
    node.step({ type: 'propose', command: bytes('b') });
    expect(progress(node)).toMatchObject({ state: 'replicate', match: 1, next: 3 });
    // A rejection of index 2 (past the match): back to probe from 2.
    const out = node.step({
      type: 'message',
      message: appendResponse({ success: false, index: 2, hintIndex: 1, hintTerm: 1 }),
    });
    expect(progress(node)).toMatchObject({ state: 'probe', match: 1 });
    expect(appends(out).map((m) => m.prevLogIndex)).toEqual([1]);
    // A stale rejection (at or below the match) changes nothing.
    node.step({ type: 'message', message: appendResponse({ index: 1 }) });
    expect(progress(node).state).toBe('replicate');
    const stale = node.step({
      type: 'message',
      message: appendResponse({ success: false, index: 1, hintIndex: 0, hintTerm: 0 }),
    });
    expect(appends(stale)).toEqual([]);
    expect(progress(node).state).toBe('replicate');
  });

  it('the back-off hint: with a term, the leader skips to its last entry of at most that term; without, to the hint index', () => {
    // init: the leader holds entries 1..5 of term 1 (as leader of term 1, then re-elected is
    // not needed: a fresh leader of term 1 with five proposals)
    const node = leader();
    for (const x of ['a', 'b', 'c', 'd', 'e']) node.step({ type: 'propose', command: bytes(x) });
    // Probe at next = 1 is in flight (prev 0). Pretend the follower answered a later probe:
    // move next by a rejection that is the one we wait for.
    const probeAt = (node: RaftNode) => progress(node).next - 1;
    expect(probeAt(node)).toBe(0);
    // A hint with term 0 is taken as an index: next = hint + 1 (bounded below by match + 1).
    node.step({
      type: 'message',
      message: appendResponse({ success: false, index: 0, hintIndex: 0, hintTerm: 0 }),
    });
    expect(progress(node).next).toBe(1);
  });

  it('a full window is resumed by a heartbeat answer: its oldest append may have been lost', () => {
    const node = leader({ maxInflightMsgs: 1, maxSizePerMsg: 1 });
    node.step({ type: 'propose', command: bytes('a') });
    node.step({ type: 'message', message: appendResponse({ index: 0 }) });
    expect(progress(node)).toMatchObject({ state: 'replicate', inflight: 1 });
    // Window full: a new proposal is not sent.
    expect(appends(node.step({ type: 'propose', command: bytes('b') }))).toEqual([]);
    // A heartbeat answer frees the oldest slot, and the waiting entry goes out.
    const out = node.step({
      type: 'message',
      message: { type: 'heartbeat-response', from: 2, to: 1, term: 1, context: 0 },
    });
    expect(appends(out).length).toBeGreaterThan(0);
  });
});
